"""Formulas written in a wrong form, computed: the classes of mistake behind a wrong activation.

activation_mistakes.py lists single mistakes one by one. This module generates whole classes
of them from the structure of the right formula, so that a mistake nobody listed is still
simulated, reproduced and named:

* a derivative written from the saved output in another algebraic form: tanh' = 1 - y^2
  written (1 - y)^2, 1 + y^2 or 1 - 2y; sigmoid' = y (1 - y) written y (1 + y) (also inside
  SiLU's and GELU's product rule);
* operator precedence: grad_y multiplying only the first term of a derivative (``grad_y * 1
  - y**2``), or only the first factor of softmax's ``y * (grad_y - sum(...))``;
* the softmax and log-softmax Jacobian-vector product with one term edited: a factor moved
  into or out of the sum (log-softmax's J in place of its transpose), dropped, added, or a
  sign flipped;
* a named constant of a formula near-missed: GELU's sqrt(2), 1/sqrt(2 pi), sqrt(2/pi) and
  0.044715, SELU's alpha and scale swapped.

Each generated variant is one formula beside the sentence that says what it computes and
what the right formula is, so a match reads as a cause. Variants that give the same numbers
on a case (saturated inputs make many polynomials in y equal) are dropped: a value two
formulas share names neither.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterator

import numpy as np
from nnlab.graders import settings

from .. import evidence
from ..tolerance import allclose

Variants = dict[str, tuple[np.ndarray, str]]
Poly = tuple[int, int, int]  # c0 + c1 v + c2 v^2

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
GELU_KAPPA = 0.044715
INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)

FORM = "derivative-wrong-form"
PRECEDENCE = "operator-precedence"
TRANSPOSED = "jacobian-transposed"
TERM = "jacobian-term-wrong"
CONSTANT = "formula-constant"
# A constant whose square root was left out (2 pi for sqrt(2 pi)): its own class, as in the optimizers' tables.
SQRT_MISSING = "sqrt-missing"

_PRECEDENCE_WHY = (
    "`*` binds more tightly than `+` and `-`, so without parentheses grad_y multiplies only the term next to it"
)


# ------------------------------------------------------------------------------- polynomials
def _term(k: int, v: str) -> str:
    return "1" if k == 0 else v if k == 1 else f"{v}^{k}"


def expanded(c: Poly, v: str = "y") -> str:
    """``(1, -2, 1) -> "1 - 2y + y^2"``: a polynomial in ``v`` written out, lowest power first."""
    parts = []
    for k, ck in enumerate(c):
        if ck == 0:
            continue
        body = str(abs(ck)) if k == 0 else (_term(k, v) if abs(ck) == 1 else f"{abs(ck)}{_term(k, v)}")
        parts.append(("-" if ck < 0 else "+", body))
    if not parts:
        return "0"
    text = ("-" if parts[0][0] == "-" else "") + parts[0][1]
    return text + "".join(f" {sign} {body}" for sign, body in parts[1:])


def written(c: Poly, v: str = "y") -> str:
    """A polynomial as a student writes it: factored when it factors simply, ``(1 - y)^2``, ``y (1 + y)``."""
    c0, c1, c2 = c
    if c0 == 0 and c1 != 0 and c2 != 0:  # v (c1 + c2 v)
        sign = "-" if c1 < 0 else ""
        inner = expanded((abs(c1), int(math.copysign(c2, c2 * c1)), 0), v)
        return f"{sign}{v} ({inner})"
    if c0 != 0 and c2 != 0 and c1 * c1 == 4 * c0 * c2 and abs(c2) == 1:  # c2 (r - v)^2 with r = -c1 / (2 c2)
        r = -c1 // (2 * c2)
        if r * 2 * c2 == -c1 and r != 0:
            return ("-" if c2 < 0 else "") + f"({expanded((r, -1, 0), v) if r > 0 else expanded((-r, 1, 0), v)})^2"
    return expanded(c, v)


def _value(c: Poly, v: np.ndarray) -> np.ndarray:
    return c[0] + c[1] * v + c[2] * v * v


def _is_square(c: Poly) -> bool:
    return c[0] != 0 and c[2] != 0 and c[1] != 0 and c[1] * c[1] == 4 * c[0] * c[2]


def _form_hint(p: Poly, right: Poly, v: str) -> str:
    """What separates the student's polynomial from the right one, when one edit does."""
    differ = [k for k in range(3) if p[k] != right[k]]
    if _is_square(p) and abs(p[0]) == abs(right[0]) and abs(p[2]) == abs(right[2]) and right[1] == 0:
        return (
            f"{written(p, v)} squares the whole difference; in {written(right, v)} only {v} is squared "
            f"({v}**2, or {v} * {v}), then subtracted"
        )
    if len(differ) == 1:
        k = differ[0]
        if p[k] == -right[k]:
            return f"the sign of the {_term(k, v)} term is wrong"
        if p[k] == 0:
            return f"the term {expanded(tuple(right[i] if i == k else 0 for i in range(3)), v)} is missing"
        if right[k] == 0:
            return f"there is an extra term {expanded(tuple(p[i] if i == k else 0 for i in range(3)), v)}"
    if right[1] == 0 and p == (0, 0, -right[2]):
        return f"{written(p, v)} is the term subtracted from {right[0]}; the {right[0]} - in front of it is missing"
    if right[1] == 0 and p == (right[0], 2 * right[2], 0):
        return f"{v} * 2 doubles {v} where {v} ** 2 squares it (`* 2` typed for `** 2`)"
    if p == (right[1], 2 * right[2], 0):
        return f"that is the derivative of {written(right, v)} with respect to {v}, not of the activation"
    return ""


def _grid() -> Iterator[Poly]:
    """The polynomials a derivative in the output is mistaken for: small whole coefficients, and
    the cross term of a square (the -2y of (1 - y)^2)."""
    yield from itertools.product((-1, 0, 1), (-2, -1, 0, 1, 2), (-1, 0, 1))


def _multiple(p: Poly, right: Poly) -> bool:
    """p = c * right for some c (0 included): a factor or a missing derivative, named elsewhere."""
    return all(p[i] * right[j] == p[j] * right[i] for i in range(3) for j in range(3))


# The derivative of tanh and sigmoid as a polynomial in the output y they save (keyed, like every table
# here, by ``Component.formula``).
OUTPUT_DERIVATIVES: dict[str, tuple[str, Poly]] = {
    "tanh": ("tanh", (1, 0, -1)),
    "sigmoid": ("sigmoid", (0, 1, -1)),
}


# Each occurrence of y in the factored derivative with grad_y in its place (the names mixed up).
_UPSTREAM_FOR_OUTPUT: dict[str, Callable[[np.ndarray, np.ndarray], list[tuple[str, np.ndarray]]]] = {
    "tanh": lambda g, y: [("1 - grad_y * y", 1 - g * y), ("1 - grad_y^2", 1 - g * g)],
    "sigmoid": lambda g, y: [("y (1 - grad_y)", y * (1 - g)), ("grad_y (1 - y)", g * (1 - y))],
}


def output_forms(formula: str, g: np.ndarray, y: np.ndarray) -> Variants:
    """Tanh, Sigmoid: backward's derivative written from y in another form, or grad_y applied to part of it."""
    fn, right = OUTPUT_DERIVATIVES[formula]
    v: Variants = {}
    for p in _grid():
        if _multiple(p, right):
            continue
        hint = _form_hint(p, right, "y")
        v[f"{FORM}#{p}"] = (
            g * _value(p, y),
            f"backward multiplies grad_y by {written(p)} (y being the saved output {fn}(x)), but the derivative of "
            f"{fn} is {written(right)}" + (f": {hint}" if hint else ""),
        )
    for k in range(3):  # grad_y * (one term) + the other terms: the formula written without parentheses
        a = tuple(right[i] if i == k else 0 for i in range(3))
        b = tuple(right[i] - a[i] for i in range(3))
        if any(a) and any(b):
            v[f"{PRECEDENCE}#{k}"] = (g * _value(a, y) + _value(b, y), _precedence_text(a, b, right))
    for text, local in _UPSTREAM_FOR_OUTPUT[formula](g, y):
        v[f"{FORM}#upstream-{text}"] = (
            g * local,
            f"backward multiplies grad_y by {text}: grad_y took the place of the output y inside the derivative "
            f"{written(right)} of {fn}. The local derivative is written from the saved output y alone, and grad_y "
            "multiplies it once, from outside",
        )
    if right[0] == 0:  # y * (1 - y) with its parentheses dropped: grad_y * y * 1 - y
        a, b = (0, right[1], 0), (0, right[2], 0)
        v[f"{PRECEDENCE}#dropped"] = (
            g * _value(a, y) + _value(b, y),
            f"backward computes grad_y * y * 1 - y, which is {written(right)} written without its parentheses: "
            f"{_PRECEDENCE_WHY}; write grad_y * {written(right)} with the parentheses",
        )
    return v


def _precedence_text(a: Poly, b: Poly, right: Poly) -> str:
    """``grad_y * 1 - y^2``: the right formula's terms, grad_y written beside those of ``a`` only."""
    text = ""
    for k in range(3):
        if right[k] == 0:
            continue
        body = _term(k, "y") if abs(right[k]) == 1 else f"{abs(right[k])}{_term(k, 'y')}"
        body = f"grad_y * {body}" if a[k] else body
        text += ("-" if right[k] < 0 else "") + body if not text else f" {'-' if right[k] < 0 else '+'} {body}"
    return (
        f"backward computes {text}: grad_y multiplies only {expanded(a)}, not the whole derivative {written(right)} "
        f"(operator precedence: {_PRECEDENCE_WHY}); write grad_y * ({expanded(right)})"
    )


def inner_forms(inner: np.ndarray, formula: str, where: str, combine: Callable[[np.ndarray], np.ndarray]) -> Variants:
    """A tanh or sigmoid derivative inside a larger formula (SiLU's s (1 - s), GELU's 1 - tanh^2 u),
    written in another form: ``combine(P(inner))`` is the whole derivative with P in its place."""
    fn, right = OUTPUT_DERIVATIVES[formula]
    v_name = "s" if fn == "sigmoid" else "t"
    v: Variants = {}
    for p in _grid():
        if _multiple(p, right):
            continue
        hint = _form_hint(p, right, v_name)
        tag = _known_inner_tag(fn, p)
        v[f"{tag}#inner{p}"] = (
            combine(_value(p, inner)),
            f"in {where} the derivative of {fn} was written {written(p, v_name)}; it is {written(right, v_name)}"
            + (f": {hint}" if hint else ""),
        )
    return v


# The factored derivative with its two occurrences of the saved value ``a`` and ``b`` (s (1 - s), 1 - t t).
_FACTORED: dict[str, tuple[Callable[[np.ndarray, np.ndarray], np.ndarray], str]] = {
    "sigmoid": (lambda a, b: a * (1 - b), "{a} (1 - {b})"),
    "tanh": (lambda a, b: 1 - a * b, "1 - {a} {b}"),
}


def input_for_inner(
    inner: np.ndarray, x: np.ndarray, formula: str, where: str, combine: Callable[[np.ndarray], np.ndarray]
) -> Variants:
    """A tanh or sigmoid derivative inside a larger formula with the input x typed where the saved value
    belongs (s (1 - x), x (1 - s), x (1 - x) for SiLU's s (1 - s)): ``combine(P)`` is the whole derivative
    with P in its place."""
    fn, right = OUTPUT_DERIVATIVES[formula]
    name = "s" if fn == "sigmoid" else "t"
    value, text = _FACTORED[fn]
    v: Variants = {}
    seen: list[np.ndarray] = []
    for a, b in ((x, inner), (inner, x), (x, x)):
        local = value(a, b)
        if any(np.array_equal(local, other) for other in seen):  # (1 - t x is 1 - x t: one formula, said once)
            continue
        seen.append(local)
        said = text.format(a="x" if a is x else name, b="x" if b is x else name)
        v[f"{FORM}#input-for-{name}-{said}"] = (
            combine(local),
            f"in {where} the derivative of {fn} was written {said}: the input x took the place of {name} = {fn}(x); "
            f"the derivative of {fn} is {written(right, name)}, written from {name}, the value of {fn} itself",
        )
    return v


def _known_inner_tag(fn: str, p: Poly) -> str:
    """The named mistakes of Tanh and Sigmoid themselves, when they recur inside another formula."""
    if fn == "tanh" and p == (1, -1, 0):
        return "tanh-derivative-not-squared"
    if fn == "sigmoid" and p in ((0, 1, 0), (1, -1, 0)):
        return "sigmoid-missing-factor"
    return FORM


def sum_precedence(g: np.ndarray, terms: tuple[tuple[str, np.ndarray], ...]) -> Variants:
    """A derivative that is a sum of terms, with grad_y multiplying only one of them."""
    v: Variants = {}
    whole = " + ".join(text for text, _ in terms)
    for i, (text, _) in enumerate(terms):
        value = sum(g * t if j == i else t for j, (_, t) in enumerate(terms))
        others = " + ".join(t for j, (t, _) in enumerate(terms) if j != i)
        v[f"{PRECEDENCE}#term{i}"] = (
            value,
            f"grad_y multiplies only the term {text} of the derivative {whole}; {others} is added without grad_y. "
            "The chain rule multiplies the whole local derivative, every term of it, by grad_y: either the "
            f"parentheses are missing (operator precedence: {_PRECEDENCE_WHY}), or one term came with grad_y "
            "already in it (a helper module's backward(grad_y)) and the other was added bare; "
            f"write grad_y * ({whole})",
        )
    return v


# ------------------------------------------------------------------------------- powers misplaced
# A derivative written from the input x with a squared factor, as a student types it with numpy: tanh' = sech^2 x
# = 1 / cosh(x) ** 2 = cosh(x) ** -2 = 1 - tanh(x) ** 2 = 4 / (e^x + e^-x) ** 2; sigmoid' = e^-x / (1 + e^-x) ** 2.
SQUARED: dict[str, tuple[str, ...]] = {
    "tanh": (
        "1 / np.cosh(x) ** 2",
        "np.cosh(x) ** -2",
        "1 - np.tanh(x) ** 2",
        "4 / (np.exp(x) + np.exp(-x)) ** 2",
    ),
    "sigmoid": ("np.exp(-x) / (1 + np.exp(-x)) ** 2",),
}
_CALL_POWER = re.compile(r"(np\.\w+)\((x)\) \*\* (-?\d)")  # np.cosh(x) ** 2
_SUM_POWER = re.compile(r"\(([^()]*(?:\([^()]*\))?[^()]*) \+ (np\.exp\(-x\))\) \*\* (\d)")  # (a + np.exp(-x)) ** 2


_OUTPUT_SPELLED = {"tanh": "or 1 - y ** 2", "sigmoid": "or y * (1 - y)"}


def _power_slips(right: str) -> Iterator[tuple[str, str, str]]:
    """``(tag, the formula typed, what went wrong)`` for each misplacement of the power in ``right``."""
    m = _CALL_POWER.search(right)
    if m:
        fn, arg, p = m.groups()
        call = f"{fn}({arg})"
        yield (
            PRECEDENCE,
            right.replace(m.group(0), f"{fn}({arg} ** {p})"),
            f"the power landed on the argument: {fn}({arg} ** {p}) raises x to {p} before {fn} is taken, where "
            f"{call} ** {p} raises the value of {fn} to {p}; the square belongs after the call's closing parenthesis",
        )
        yield (
            FORM,
            right.replace(m.group(0), f"{call} * {p}"),
            f"the power became a product: `* {p}` was typed for `** {p}`, so the formula multiplies by {p} where "
            f"{call} ** {p} raises {call} to the power",
        )
    m = _SUM_POWER.search(right)
    if m:
        first, last, p = m.groups()
        yield (
            PRECEDENCE,
            right.replace(m.group(0), f"({first} + {last} ** {p})"),
            f"the square landed on the last term of the sum only: inside the parentheses ** binds to {last} alone, "
            f"and the whole sum ({first} + {last}) is squared when ** {p} follows the closing parenthesis",
        )
        yield (
            FORM,
            right.replace(m.group(0), f"({first} + {last}) * {p}"),
            f"the power became a product: `* {p}` was typed for `** {p}`, so the formula multiplies by {p} where "
            f"({first} + {last}) ** {p} squares the sum",
        )
    if right.startswith("1 / "):
        yield (
            FORM,
            right[len("1 / ") :],
            "the reciprocal is missing: sech x = 1 / cosh x, so sech^2 x = 1 / cosh(x) ** 2 = cosh(x) ** -2, not "
            "cosh(x) ** 2 (the 1 / or the minus of the power lost)",
        )


def power_slips(formula: str, x: np.ndarray, g: np.ndarray) -> Variants:
    """Tanh, Sigmoid: the derivative written from x (SQUARED) with its power misplaced: on the argument,
    cosh(x ** 2) for cosh(x) ** 2, or on the last term of a sum; typed * 2; its minus or the reciprocal of
    1 / cosh(x) ** 2 lost. Each formula is evaluated as typed, so the numbers are what numpy computes of it.
    The slips that give a polynomial in y (1 - tanh(x) * 2) are output_forms' and keep their sentences there."""
    v: Variants = {}
    env = {"np": np, "x": np.clip(x, -40.0, 40.0)}  # (cosh and e^x overflow past ~700; sech^2 40 is 7e-35)
    for right in SQUARED.get(formula, ()):
        for tag, wrong, why in _power_slips(right):
            with np.errstate(all="ignore"):
                local = np.asarray(eval(wrong, {"__builtins__": {}}, env))  # noqa: S307 (our own formula strings)
            if not np.isfinite(local).all():
                continue
            v.setdefault(
                f"{tag}#power-{wrong}",
                (
                    g * local,
                    f"backward multiplies grad_y by {wrong}: {why}. The derivative of {formula} is {right} "
                    f"({_OUTPUT_SPELLED[formula]} from the saved output y)",
                ),
            )
    return v


# ------------------------------------------------------------------------------- parentheses moved
_OPS: dict[str, tuple[int, Callable[[np.ndarray, np.ndarray], np.ndarray]]] = {
    "+": (1, np.add),
    "-": (1, np.subtract),
    "*": (2, np.multiply),
    "/": (2, np.divide),
}
Grouped = tuple[str, int, np.ndarray]  # text with the fewest parentheses, its operator's precedence, value


def _groupings(operands: list[str], ops: list[str], env: dict[str, np.ndarray]) -> list[Grouped]:
    """Every way to group ``operands[0] ops[0] operands[1] ...`` into binary operations (each tree once)."""
    memo: dict[tuple[int, int], list[Grouped]] = {}

    def text(side: Grouped, op: str, right: bool) -> str:
        body, level, _ = side
        own = _OPS[op][0]
        # A lower-precedence operand needs parentheses; so does a right operand of - or / at equal precedence.
        return f"({body})" if level < own or (right and level == own and op in "-/") else body

    def trees(i: int, j: int) -> list[Grouped]:
        if (i, j) not in memo:
            if i == j:
                atom = operands[i]
                memo[i, j] = [(atom, 3, env[atom] if atom in env else np.asarray(float(atom)))]
            else:
                memo[i, j] = [
                    (f"{text(a, op, False)} {op} {text(b, op, True)}", _OPS[op][0], _OPS[op][1](a[2], b[2]))
                    for k in range(i, j)
                    for op in (ops[k],)
                    for a in trees(i, k)
                    for b in trees(k + 1, j)
                ]
        return memo[i, j]

    return trees(0, len(operands) - 1)


def regroupings(
    written: tuple[str, ...], env: dict[str, np.ndarray], what: str, shown: dict[str, str] | None = None
) -> Variants:
    """A formula, ``written`` in one or more equal ways (spaced tokens and parentheses, as the notes write
    it), with its parentheses in other places: the same operands and operators grouped otherwise (a bracket
    closed too early, a factor pulled out of a sum, the parentheses forgotten). One variant per value
    (``a * b * c`` grouped either way is one); ``what`` says what the formula is ("backward computes");
    ``shown`` spells a name as the sentence writes it (``{"ex": "np.exp(x)"}``)."""
    right = _evaluate(written[0], env)
    kept: list[tuple[str, str, np.ndarray]] = []

    def same(a: np.ndarray, b: np.ndarray) -> bool:
        return allclose(a, b, rtol=settings.SAME_VALUE_RTOL, atol=settings.SAME_VALUE_ATOL)

    for form in written:
        tokens = form.replace("(", " ").replace(")", " ").split()
        grouped = _groupings(tokens[0::2], tokens[1::2], env)
        for body, _, value in sorted(grouped, key=lambda t: (t[0].count("("), t[0])):
            if not np.isfinite(value).all() or same(value, right):
                continue
            if any(same(value, other) for _, _, other in kept):
                continue
            kept.append((body, form, value))

    def spelt(text: str) -> str:  # one pass, so that a spelling is not spelt again
        if not shown:
            return text
        return re.sub(r"\b(" + "|".join(map(re.escape, shown)) + r")\b", lambda m: shown[m.group(1)], text)

    return {
        f"{PRECEDENCE}#regrouped{k}": (
            np.broadcast_to(value, right.shape).copy(),
            f"{what} {spelt(body)}: the operands and operators of {spelt(form)}, with the parentheses in other "
            "places, so the operations group differently (each pair of parentheses is computed first, and without "
            f"them `*` and `/` bind more tightly than `+` and `-`); write {spelt(form)}",
        )
        for k, (body, form, value) in enumerate(kept)
    }


def _evaluate(written_as: str, env: dict[str, np.ndarray]) -> np.ndarray:
    """The value of a formula of names in ``env``, numbers, + - * / and parentheses."""
    return np.asarray(eval(written_as, {"__builtins__": {}}, dict(env)))  # noqa: S307 (our own formula strings only)


# ------------------------------------------------------------------------------- Jacobian products
# A term of softmax's or log-softmax's grad_x: sign, factors outside, factors inside sum(grad_y * ..., dim)
# (None: grad_y itself, no sum).
Term = tuple[int, tuple[str, ...], tuple[str, ...] | None]
JACOBIAN_PRODUCTS: dict[str, tuple[str, tuple[Term, ...], str, bool]] = {
    # formula: (atom, right terms, the right formula as the notes write it, Jacobian symmetric)
    "softmax": (
        "y",
        ((1, ("y",), None), (-1, ("y",), ("y",))),
        "y * (grad_y - sum(grad_y * y, dim))",
        True,
    ),
    "log-softmax": ("p", ((1, (), None), (-1, ("p",), ())), "grad_y - p * sum(grad_y, dim)", False),
}


def _term_text(term: Term) -> str:
    _, out, inside = term
    last = "grad_y" if inside is None else f"sum({' * '.join(('grad_y', *inside))}, dim)"
    return " * ".join((*out, last))


def _formula(terms: tuple[Term, ...]) -> str:
    text = ""
    for i, term in enumerate(terms):
        body = _term_text(term)
        text += ("-" if term[0] < 0 else "") + body if i == 0 else f" {'-' if term[0] < 0 else '+'} {body}"
    return text


def _term_value(term: Term, atom: np.ndarray, g: np.ndarray, dim: int) -> np.ndarray:
    sign, out, inside = term
    value = g if inside is None else np.sum(g * atom ** len(inside), axis=dim, keepdims=True)
    return sign * atom ** len(out) * value


def _without(factors: tuple[str, ...], f: str) -> tuple[str, ...]:
    i = factors.index(f)
    return factors[:i] + factors[i + 1 :]


def _edits(
    terms: tuple[Term, ...], atom: str, symmetric: bool, right: str
) -> Iterator[tuple[tuple[Term, ...], str, str]]:
    """Every formula one edit away from the right one: ``(terms, what the edit did, tag)``."""
    common = set.intersection(*(set(out) for _, out, _ in terms))

    def put(i: int, term: Term | None) -> tuple[Term, ...]:
        return tuple(t for t in (*terms[:i], term, *terms[i + 1 :]) if t is not None)

    for f in sorted(common):  # y * (grad_y - sum(grad_y * y)) without its leading y
        dropped = tuple((sign, _without(out, f), inside) for sign, out, inside in terms)
        yield dropped, f"the factor {f} that multiplies every term is missing", TERM
    for i, (sign, out, inside) in enumerate(terms):
        text = _term_text((1, out, inside))
        yield put(i, (-sign, out, inside)), f"the term {text} has the wrong sign", TERM
        if len(terms) > 1:
            yield put(i, None), f"the term {text} is missing", TERM
        for f in sorted(set(out)):
            why = f"the term {text} lost its factor {f}"
            if f in common and i > 0:
                why += f": {right} was written without its parentheses ({_PRECEDENCE_WHY})"
            yield put(i, (sign, _without(out, f), inside)), why, TERM
            if inside is not None:
                moved = (sign, _without(out, f), (*inside, f))
                if symmetric:
                    yield put(i, moved), f"the factor {f} moved inside the sum: it multiplies the sum", TERM
                else:
                    yield (
                        put(i, moved),
                        f"the weight {f} moved inside the sum; that multiplies grad_y by the Jacobian J "
                        f"(dy_i/dx_j = delta_ij - {f}_j) instead of by its transpose: the chain rule sums over the "
                        f"outputs i, sum_i grad_y_i (delta_ij - {f}_j) = grad_y_j - {f}_j * sum_i grad_y_i, so {f} "
                        "stays outside the sum",
                        TRANSPOSED,
                    )
        if inside is not None:
            for f in sorted(set(inside)):
                yield put(i, (sign, out, _without(inside, f))), f"inside the sum grad_y lost its weight {f}", TERM
                yield put(i, (sign, (*out, f), _without(inside, f))), f"the weight {f} moved out of the sum", TERM
            yield put(i, (sign, out, (*inside, atom))), f"inside the sum grad_y has an extra factor {atom}", TERM
        yield put(i, (sign, (*out, atom), inside)), f"the term {text} has an extra factor {atom}", TERM


def jacobian_forms(formula: str, g: np.ndarray, y: np.ndarray, dim: int) -> Variants:
    """Softmax, LogSoftmax: grad_x one edit away from the right Jacobian-vector product."""
    atom_name, terms, right, symmetric = JACOBIAN_PRODUCTS[formula]
    atom = y if atom_name == "y" else np.exp(y)  # log-softmax's saved output is log p
    v: Variants = {}
    for k, (edited, why, tag) in enumerate(_edits(terms, atom_name, symmetric, right)):
        if not edited:
            continue
        value = sum(_term_value(t, atom, g, dim) for t in edited)
        v[f"{tag}#{k}"] = (
            np.broadcast_to(value, g.shape).copy(),
            f"backward computes {_formula(edited)}, where {right} belongs: {why}",
        )
    n = g.shape[dim]
    if n > 1:  # np.mean where np.sum belongs: every sum divided by the size of dim (a mistake of its own)
        value = sum(_term_value(t, atom, g, dim) / (n if t[2] is not None else 1) for t in terms)
        v["mean-for-sum#jacobian"] = (
            value,
            f"the sum in {right} was computed as a mean (np.mean), i.e. divided by the {n} entries along dim: "
            "the Jacobian-vector product sums over the outputs",
        )
    return v


# ------------------------------------------------------------------------------- named constants
def _erfc(x: np.ndarray) -> np.ndarray:
    return np.vectorize(math.erfc, otypes=[float])(x)


# Phi(x) = erfc(-x / sqrt 2) / 2: what the argument's 1/sqrt(2) is mistaken for.
_CDF_ARGUMENT = (
    (0.5, "divided by 2, not by sqrt(2)"),
    (1.0, "not divided by sqrt(2)"),
    (math.sqrt(2.0), "multiplied by sqrt(2) where it is divided by sqrt(2)"),
    (-1.0 / math.sqrt(2.0), "x / sqrt(2) where -x / sqrt(2) belongs (the sign is lost: that is Phi(-x) = 1 - Phi(x))"),
)
# phi(x) = e^(-x^2/2) / sqrt(2 pi): the exponent's 1/2 and the normalisation 1/sqrt(2 pi).
_PDF_EXPONENT = ((1.0, "e^(-x^2): the 1/2 of the exponent -x^2/2 is missing"),)
_PDF_NORMALISATION = (
    (1.0 / math.sqrt(math.pi), "divided by sqrt(pi), not by sqrt(2 pi)", CONSTANT),
    (1.0 / (2.0 * math.pi), "divided by 2 pi, not by its square root sqrt(2 pi)", SQRT_MISSING),
    (math.sqrt(2.0 * math.pi), "multiplied by sqrt(2 pi) where it is divided by it", CONSTANT),
    (1.0 / math.sqrt(2.0), "divided by sqrt(2), not by sqrt(2 pi)", CONSTANT),
    # The root over part of the constant (np.sqrt(2) * np.pi): as a student types sqrt(2 pi) in pieces.
    (1.0 / (math.sqrt(2.0) * math.pi), "divided by sqrt(2) * pi: the square root covers the 2 only", CONSTANT),
    (1.0 / (2.0 * math.sqrt(math.pi)), "divided by 2 sqrt(pi): the square root covers pi only", CONSTANT),
)
_PHI = "Phi(x) = erfc(-x / sqrt(2)) / 2, or (1 + erf(x / sqrt(2))) / 2"
_DENSITY = "phi(x) = e^(-x^2/2) / sqrt(2 pi)"


# A constant of a function's argument typed after the call's closing parenthesis: f(a) / c where f(a / c) belongs.
_OUTSIDE = (
    "a constant that belongs inside the function's argument was placed after its closing parenthesis, so it divides "
    "the function's value instead of the argument (each pair of parentheses is computed first)"
)


def _cdf_outside(x: np.ndarray) -> list[tuple[np.ndarray, str]]:
    """Phi with the argument's 1/sqrt(2) outside erfc (or erf): erfc(-x) / sqrt(2) for erfc(-x / sqrt(2))."""
    erfc = _erfc(-x)
    return [
        (0.5 * erfc / math.sqrt(2.0), "0.5 * erfc(-x) / sqrt(2), where 0.5 * erfc(-x / sqrt(2)) belongs"),
        (0.5 * (1.0 + (1.0 - _erfc(x)) / math.sqrt(2.0)), "0.5 * (1 + erf(x) / sqrt(2)), where erf(x / sqrt(2))"),
    ]


def gelu_exact_constants(x: np.ndarray, g: np.ndarray | None) -> Variants:
    """Exact GELU, x * Phi(x), with one constant of Phi or of its density phi near-missed.
    ``g`` None: the forward values; else backward's, computed from the Phi forward saved."""
    xc = np.clip(x, -40.0, 40.0)
    cdf = 0.5 * _erfc(-x / math.sqrt(2.0))
    pdf = INV_SQRT_2PI * np.exp(-0.5 * xc * xc)
    v: Variants = {}
    for k, (c, how) in enumerate(_CDF_ARGUMENT):
        wrong = 0.5 * _erfc(-x * c)
        text = f"the argument of Phi was {how}: {_PHI}"
        v[f"{CONSTANT}#cdf{k}"] = (x * wrong, text) if g is None else (g * (wrong + xc * pdf), text)
    half = f"the 1/2 of {_PHI} is missing, so Phi runs from 0 to 2"
    v[f"{CONSTANT}#half"] = (2 * x * cdf, half) if g is None else (g * (2 * cdf + xc * pdf), half)
    one = f"the 1 + of {_PHI} is missing: erf(x / sqrt(2)) / 2 runs from -1/2 to 1/2 (it is Phi(x) - 1/2)"
    v[f"{CONSTANT}#one"] = (x * (cdf - 0.5), one) if g is None else (g * (cdf - 0.5 + xc * pdf), one)
    for k, (wrong, how) in enumerate(_cdf_outside(x)):
        text = f"Phi was computed as {how}: {_OUTSIDE} ({_PHI})"
        v[f"{PRECEDENCE}#cdf-outside{k}"] = (x * wrong, text) if g is None else (g * (wrong + xc * pdf), text)
    if g is None:
        return v
    half_outside = INV_SQRT_2PI * np.exp(-xc * xc) / 2.0
    v[f"{PRECEDENCE}#pdf-outside"] = (
        g * (cdf + xc * half_outside),
        f"the density phi was computed as e^(-x^2) / 2 / sqrt(2 pi): {_OUTSIDE} ({_DENSITY}, the 1/2 in the exponent)",
    )
    for k, (b, how) in enumerate(_PDF_EXPONENT):
        v[f"{CONSTANT}#exponent{k}"] = (g * (cdf + xc * INV_SQRT_2PI * np.exp(-b * xc * xc)), f"{how}: {_DENSITY}")
    for k, (n, how, tag) in enumerate(_PDF_NORMALISATION):
        pdf_wrong = n * np.exp(-0.5 * xc * xc)
        v[f"{tag}#norm{k}"] = (g * (cdf + xc * pdf_wrong), f"the density phi was {how}: {_DENSITY}")
    return v


# The tanh form's sqrt(2/pi) and 0.044715 near-missed, in forward (the saved tanh), backward, or both.
_SQRT_2_OVER_PI = (
    (2.0 / math.pi, "2/pi: the square root of sqrt(2/pi) is missing", SQRT_MISSING),
    (math.sqrt(math.pi / 2.0), "sqrt(pi/2): the fraction of sqrt(2/pi) is upside down", CONSTANT),
    (math.sqrt(2.0 * math.pi), "sqrt(2 pi) where sqrt(2/pi) belongs", CONSTANT),
    (1.0, "1: the factor sqrt(2/pi) is missing", CONSTANT),
    (math.sqrt(2.0) / math.pi, "sqrt(2) / pi: the square root covers the 2 only", CONSTANT),
    (2.0 / math.sqrt(math.pi), "2 / sqrt(pi): the square root covers pi only", CONSTANT),
)
_KAPPA = (
    (0.0, "the cubic term 0.044715 x^3 is missing"),
    (0.44715, "0.44715 where 0.044715 belongs (a digit slipped)"),
    (0.0044715, "0.0044715 where 0.044715 belongs (a digit slipped)"),
)
_TANH_FORM = "x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))"


def gelu_tanh_constants(x: np.ndarray, g: np.ndarray | None) -> Variants:
    """Tanh-form GELU with sqrt(2/pi) or 0.044715 near-missed: in forward only (backward's
    derivative then reads the wrong saved tanh), in backward only, or in both."""
    xc = np.clip(x, -10.0, 10.0)

    def parts(k: float, kappa: float, power: int = 3) -> tuple[np.ndarray, np.ndarray]:
        t = np.tanh(k * (xc + kappa * xc**power))
        return t, k * (1.0 + power * kappa * xc ** (power - 1))

    t, slope = parts(SQRT_2_OVER_PI, GELU_KAPPA)
    v: Variants = {}
    slots = [
        (f"k{i}", (c, GELU_KAPPA), f"sqrt(2/pi) was written {how}", tag)
        for i, (c, how, tag) in enumerate(_SQRT_2_OVER_PI)
    ]
    slots += [(f"kappa{i}", (SQRT_2_OVER_PI, c), how, CONSTANT) for i, (c, how) in enumerate(_KAPPA)]
    # The cubic term with another power of x (x^2, x^4): the formula's shape misremembered, not a constant.
    slots += [
        (
            f"power{n}",
            (SQRT_2_OVER_PI, GELU_KAPPA, n),
            f"the cubic term was written 0.044715 x^{n}: the power is 3",
            "gelu-tanh-cubic-term",
        )
        for n in (2, 4)
    ]
    # The argument without its parentheses: sqrt(2/pi) multiplies one term of x + 0.044715 x^3 only. Each is the
    # tanh form with other constants: k x + kappa x^3 = k (x + kappa / k x^3), x + k kappa x^3 = 1 (x + k kappa x^3).
    alone = (
        ("x", (SQRT_2_OVER_PI, GELU_KAPPA / SQRT_2_OVER_PI), "sqrt(2/pi) * x + 0.044715 * x**3"),
        ("cubic", (1.0, SQRT_2_OVER_PI * GELU_KAPPA), "x + 0.044715 * x**3 * sqrt(2/pi)"),
    )
    slots += [
        (
            f"precedence-{term}",
            constants,
            f"the argument was written {typed}, so sqrt(2/pi) multiplies one term alone (`*` binds more tightly "
            "than `+`): the parentheses must hold both terms, sqrt(2/pi) * (x + 0.044715 * x**3)",
            PRECEDENCE,
        )
        for term, constants, typed in alone
    ]
    for key, constants, how, tag in slots:
        t_wrong, slope_wrong = parts(*constants)
        text = f"in the tanh form {_TANH_FORM}, {how}"
        if g is None:
            v[f"{tag}#{key}"] = (0.5 * x * (1.0 + t_wrong), text)
            continue
        places = {
            "both": (t_wrong, slope_wrong, ""),
            "saved": (t_wrong, slope, " (in forward's tanh)"),
            "slope": (t, slope_wrong, " (in backward's du/dx)"),
        }
        for where, (tt, ss, place) in places.items():
            local = 0.5 * (1.0 + tt) + 0.5 * xc * (1.0 - tt * tt) * ss
            v[f"{tag}#{key}-{where}"] = (g * local, text + place)
    return v


# The tanh form's two typed constants: (how the sentence names it, its right value, how to write it right).
_TANH_CONSTANTS = (
    ("sqrt(2/pi)", SQRT_2_OVER_PI, "np.sqrt(2 / np.pi), or 0.7978845608 whole"),
    ("the cubic term's coefficient", GELU_KAPPA, "0.044715, every digit"),
)
# A typed constant near-missed lies within this factor of the right one; further off, another mistake is at work.
_NEAR_MISS = 2.0


def _digits(value: float) -> str:
    """The significant digits of a positive constant as typed (0.04715 -> "4715")."""
    return f"{value:.12e}".split("e")[0].replace(".", "").rstrip("0") or "0"


def _typo(right: float, typed: float) -> str:
    """How ``typed`` differs from ``right`` as a slip of the keyboard (a digit left out, one too many, two swapped,
    one wrong) or a constant cut short (rounded or truncated too early), digit by digit; '' where no slip, or more
    than one, gives the typed digits."""
    r, t = _digits(right), _digits(typed)
    if math.floor(math.log10(right)) != math.floor(math.log10(typed)):
        return ""  # another order of magnitude: not a slip within the digits
    n = len(t)
    if t == r[:n] or f"{typed:g}" == f"{right:.{n}g}":
        return f"cut short to {n} significant digit{'s' if n > 1 else ''}"
    dropped = [r[:i] + r[i + 1 :] for i in range(n + 1)]
    swapped = [r[:i] + r[i + 1] + r[i] + r[i + 2 :] for i in range(min(n, len(r)) - 1)]
    slips = (
        ("a digit left out", any(t == d[:n] for d in dropped)),
        ("two digits swapped", any(t == s[:n] for s in swapped)),
        ("one digit wrong", n <= len(r) and sum(a != b for a, b in zip(r, t, strict=False)) == 1),
        ("a digit too many", any(t[:i] + t[i + 1 :] == r for i in range(n))),
    )
    fits = [words for words, happened in slips if happened]
    return fits[0] if len(fits) == 1 else ""  # (several slips give these digits: which one is not known)


def _tanh_gelu(x: np.ndarray, k: float, kappa: float) -> np.ndarray:
    xc = np.clip(x, -10.0, 10.0)
    return 0.5 * x * (1.0 + np.tanh(k * (xc + kappa * xc**3)))


def _typed_constant(x: np.ndarray, y: np.ndarray, which: int) -> float | None:
    """The constant (0: sqrt(2/pi), 1: 0.044715) that, typed with the fewest significant digits, makes the tanh
    form give ``y`` on every entry of ``x``, the other constant right; None when no single one does. It is read
    from the entry where it moves the output most (the largest |x|), then confirmed on all of them."""
    xc = np.clip(x, -10.0, 10.0)
    with np.errstate(all="ignore"):
        ratio = np.where(x == 0, np.nan, 2.0 * y / x - 1.0)
        usable = np.isfinite(ratio) & (np.abs(ratio) < 1.0 - settings.WHOLE_NUMBER_ATOL) & (np.abs(xc) > 0.1)
        if not usable.any():
            return None
        i = np.flatnonzero(usable)[np.argmax(np.abs(xc[usable]))]
        u = float(np.arctanh(ratio.flat[i]))
        z = float(xc.flat[i])
        c = u / (z + GELU_KAPPA * z**3) if which == 0 else (u / SQRT_2_OVER_PI - z) / z**3
    right = _TANH_CONSTANTS[which][1]
    if not np.isfinite(c) or c <= 0 or not 1.0 / _NEAR_MISS < c / right < _NEAR_MISS:
        return None
    for d in range(1, 8):
        typed = float(f"{c:.{d}g}")
        constants = (typed, GELU_KAPPA) if which == 0 else (SQRT_2_OVER_PI, typed)
        if evidence.same(y, _tanh_gelu(x, *constants)):
            return typed
    return None


def gelu_tanh_typed(x: np.ndarray, g: np.ndarray | None, y: np.ndarray | None) -> Variants:
    """Tanh-form GELU with sqrt(2/pi) or 0.044715 typed as another number, read from the student's forward output
    ``y`` (the wrong constant a slip of the keyboard or a short rounding gives, not one listed beforehand) and
    confirmed by recomputing every entry with it. ``g`` None: forward's value; else backward's, with the constant
    in forward's saved tanh only or in backward's du/dx too."""
    if y is None or np.shape(y) != np.shape(x):
        return {}
    y = np.asarray(y, dtype=np.float64)
    if not np.isfinite(y).all() or evidence.same(y, _tanh_gelu(x, SQRT_2_OVER_PI, GELU_KAPPA)):
        return {}  # (forward is right: a constant typed short within the tolerance changes nothing there)
    v: Variants = {}
    for which, (name, right, spelled) in enumerate(_TANH_CONSTANTS):
        typed = _typed_constant(x, y, which)
        if typed is None:
            continue
        slip = _typo(right, typed)
        text = (
            f"in the tanh form {_TANH_FORM}, {name} was typed {typed:g} where {right:.8g} belongs"
            f"{f' ({slip})' if slip else ''}{{}}: recomputed with {typed:g} in its place, the tanh form gives your "
            f"forward's output on every entry. Write {spelled}"
        )
        constants = (typed, GELU_KAPPA) if which == 0 else (SQRT_2_OVER_PI, typed)
        if g is None:
            v[f"{CONSTANT}#typed-{which}"] = (_tanh_gelu(x, *constants), text.format(""))
            continue
        xc = np.clip(x, -10.0, 10.0)
        t = np.tanh(constants[0] * (xc + constants[1] * xc**3))
        for where, (k, kappa) in (("saved", (SQRT_2_OVER_PI, GELU_KAPPA)), ("both", constants)):
            local = 0.5 * (1.0 + t) + 0.5 * xc * (1.0 - t * t) * k * (1.0 + 3.0 * kappa * xc * xc)
            place = ", in forward's tanh that backward reads" if where == "saved" else ", in forward and in backward"
            v[f"{CONSTANT}#typed-{which}-{where}"] = (g * local, text.format(place))
    return v


# ------------------------------------------------------------------------------- bookkeeping
def distinct(known: Variants, extra: Variants) -> Variants:
    """The ``extra`` variants whose values no other variant gives on this case: not one of the
    ``known`` ones (a named mistake keeps its name), and not shared by two extra formulas."""
    keys = [k for k, (value, _) in extra.items() if np.isfinite(value).all()]
    if not keys:
        return {}
    values = np.stack([np.asarray(extra[k][0], dtype=np.float64).ravel() for k in keys])
    scale = np.max(np.abs(values), axis=1, keepdims=True)
    tol = evidence.RTOL * np.abs(values) + settings.ATOL_SCALE * scale + settings.ZERO_ATOL
    close = np.all(np.abs(values[:, None, :] - values[None, :, :]) <= tol[None, :, :], axis=2)
    shared = close.sum(axis=1) > 1
    others = [np.asarray(value) for value, _ in known.values()]
    keep = {}
    for k, key in enumerate(keys):
        value = extra[key][0]
        if shared[k] or any(o.shape == value.shape and evidence.same(value, o) for o in others):
            continue
        keep[key] = extra[key]
    return keep


def merge(known: Variants, extra: Variants) -> None:
    """Add the distinct ``extra`` variants to ``known`` in place."""
    with np.errstate(all="ignore"):
        known.update(distinct(known, extra))
