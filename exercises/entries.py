"""A course's own catalogue entry: one table of ``components/<module>.toml`` read into a :class:`Component`.

Every field of :class:`~nnlab.exercises.components.Component` and :class:`~nnlab.exercises.components.Case`
can be given (docs/instructor-guide.md lists them); each value is checked here, and a malformed one
raises :class:`~course.CourseError` with one line naming the file, the key and what was expected.
Names only the graders know (law checks, invariant relations, geometries, convergence data and
losses) are checked against the :class:`~course.Rubric` the graders pass in; without one they are
not (the exercises layer does not import the graders). Names of other components (``builds_on``,
a convergence network's layers) are checked once the whole course is read (:func:`check_references`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nnlab.exercises.components import REQUIRED, Case, Component, Domain, Draw, Extremes, Invariant, Layer, Scenario

if TYPE_CHECKING:
    from .course import Rubric

# The kinds whose checks are generic (nnlab's optimizer checks know each optimizer by name).
KINDS = ("activation", "layer", "loss")
TARGETS = ("same", "binary", "class")
ENTRY_KEYS = (
    "kind", "cases", "params", "kinks", "ties", "random", "target", "positive_input", "rule", "distribution", "uses",
    "properties", "invariants", "domain", "extremes", "laws", "geometry", "param_draws", "buffers", "kink_params",
    "ties_in", "margin_param", "convergence", "builds_on", "formula", "descents", "filled",
)  # fmt: skip
CASE_KEYS = (
    "id", "kwargs", "input_shape", "scale", "mode", "target", "target_shape", "inputs", "losses", "param_draws",
)  # fmt: skip
# Keys whose checks only run on some kinds: elsewhere they would be read by nothing, so they are refused.
MODULES = ("activation", "layer")  # what nnlab's module checks (properties, inputs, parameters) read
ONLY_FOR = {
    "target": ("loss",),
    "positive_input": ("loss",),
    "margin_param": ("loss",),
    **dict.fromkeys(("params", "kinks", "kink_params", "ties", "ties_in", "invariants", "domain"), MODULES),
    **dict.fromkeys(("laws", "geometry", "param_draws", "buffers", "filled"), MODULES),
    "extremes": ("activation",),
    "rule": ("initializer",),  # an initialiser cannot be a course's own yet: refused with the reason
    "distribution": ("initializer",),
    "descents": ("optimizer",),  # nor can an optimizer
}
TIES_IN = ("input", "pieces")
DRAW_KEYS = ("distribution", "mean", "std", "low", "high")
SCENARIO_KEYS = ("data", "network", "epochs", "batch_size", "lr", "loss", "description", "targets", "threshold")

Fail = Callable[[str, str], Exception]  # (key, what was expected) -> the error to raise


def read_entry(
    path: Path,
    fail_at: Callable[[Path, str, str], Exception],
    name: str,
    table: Any,
    signature: tuple[tuple[str, Any], ...],
    functions: tuple[str, ...] = (),
    rubric: Rubric | None = None,
) -> Component:
    """The component ``name`` (``module.Class``) from its ``table``.

    Args:
        path: the entries file, for the messages.
        fail_at: makes the one-line error ``(file, key, expected)``.
        signature: the constructor's parameters and defaults (read from the reference class).
        functions: the module's top-level functions, which ``uses`` may name.
        rubric: the graders' names (laws, relations, ...); unchecked without.
    """
    where = f"[{name.partition('.')[2]}]"

    def fail(key: str, expected: str) -> Exception:
        return fail_at(path, f"{where}.{key}" if key else where, expected)

    if not isinstance(table, dict):
        raise fail("", "a table (kind, cases, ...)")
    unknown = [key for key in table if key not in ENTRY_KEYS]
    if unknown:
        raise fail(unknown[0], f"a known key, one of {', '.join(ENTRY_KEYS)}")
    kind = table.get("kind")
    if kind not in KINDS:
        raise fail("kind", f"one of {', '.join(KINDS)} (the kinds with generic checks), got {kind!r}")
    for key, kinds in ONLY_FOR.items():
        if key in table and kind not in kinds:  # the checks of that kind would not read it
            raise fail(key, f"no {key} for {_a(kind)} (nnlab's checks read it for {' or '.join(map(_a, kinds))} only)")
    if kind == "loss" and table.get("target") not in TARGETS:
        raise fail("target", f"one of {', '.join(TARGETS)}, got {table.get('target')!r}")
    parameters = tuple(p for p, _ in signature)
    raw_cases = table.get("cases")
    if not isinstance(raw_cases, list) or not raw_cases:
        raise fail("cases", 'a non-empty list of cases such as { id = "(N, D)", input_shape = [6, 3] }')
    cases = tuple(_case(lambda k, e, i=i: fail(f"cases[{i}]{k}", e), raw, signature) for i, raw in enumerate(raw_cases))
    ids = [case.id for case in cases]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise fail("cases", f"unique ids ({repeated[0]!r} is repeated)")
    vocabulary = rubric.vocabulary() if rubric is not None else {}
    params = _names(fail, "params", table.get("params", []), "a list of Parameter attribute names")
    ties = _flag(fail, "ties", table.get("ties", False))
    ties_in = table.get("ties_in", "input")
    if ties_in not in TIES_IN or ("ties_in" in table and not ties):
        raise fail("ties_in", f"one of {', '.join(TIES_IN)}, with ties = true; got {ties_in!r}")
    laws = _among(fail, "laws", table.get("laws", []), vocabulary.get("laws"), "law checks")
    geometry = _geometry(fail, table.get("geometry", ""), parameters, vocabulary)
    for law in laws:
        missing = [p for p in vocabulary.get(f"law {law}", ()) if p not in parameters]
        if missing:
            raise fail("laws", f"a constructor with the parameters the law {law!r} sets ({missing[0]})")
    needing = [law for law in laws if law in vocabulary.get("laws needing a geometry", ())]
    if needing and not geometry:
        raise fail("laws", f"a geometry with the law {needing[0]!r} (its check configures the layer by it)")
    uses = _names(fail, "uses", table.get("uses", []), "a list of the module's function names")
    for helper in uses:
        if helper not in functions:
            raise fail("uses", f"functions of the module ({', '.join(functions) or 'none'}), got {helper!r}")
    margin = table.get("margin_param", "")
    if margin and (margin not in parameters or table.get("target") != "class"):
        raise fail("margin_param", f"a constructor parameter ({', '.join(parameters)}) of a class-target loss")
    kink_params = _names(fail, "kink_params", table.get("kink_params", []), "two constructor parameters [a, b]")
    if kink_params and (len(kink_params) != 2 or not set(kink_params) <= set(parameters)):
        raise fail(
            "kink_params", f"two constructor parameters [a, b] (the kink at a / b) among: {', '.join(parameters)}"
        )
    draws = _draws(fail, "param_draws", table.get("param_draws", {}))
    for parameter, _ in draws:
        if parameter not in params:
            raise fail(f"param_draws.{parameter}", f"one of its params ({', '.join(params) or 'none'})")
    for i, case in enumerate(cases):  # a case's own draws too: of a parameter the entry has
        for parameter, _ in case.param_draws:
            if parameter not in params:
                raise fail(f"cases[{i}].param_draws.{parameter}", f"one of its params ({', '.join(params) or 'none'})")
    filled = table.get("filled", {})
    if not isinstance(filled, dict) or not all(isinstance(v, str) for v in filled.values()):
        raise fail("filled", '{ parameter = "constructor argument" }, e.g. { weight = "init" }')
    for parameter, argument in filled.items():
        if parameter not in params or argument not in parameters:
            raise fail(
                f"filled.{parameter}",
                f"one of its params ({', '.join(params) or 'none'}) filled with a constructor parameter "
                f"({', '.join(parameters)})",
            )
    formula = table.get("formula", "")
    if not isinstance(formula, str):
        raise fail("formula", f'a string naming a formula family ("" for none), got {formula!r}')
    return Component(
        name,
        kind,
        signature,
        params,
        cases,
        _numbers(fail, "kinks", table.get("kinks", []), "a list of inputs where the derivative jumps, e.g. [0.0]"),
        ties,
        random=_flag(fail, "random", table.get("random", False)),
        target=table.get("target", ""),
        positive_input=_flag(fail, "positive_input", table.get("positive_input", False)),
        uses=uses,
        properties=_properties(fail, kind, table.get("properties", []), rubric),
        invariants=_invariants(fail, table.get("invariants", []), vocabulary),
        domain=_domain(fail, table.get("domain", {})),
        extremes=_extremes(fail, table.get("extremes", True), parameters),
        laws=laws,
        geometry=geometry,
        param_draws=draws,
        filled=tuple(filled.items()),
        buffers=_draws(fail, "buffers", table.get("buffers", {})),
        kink_params=kink_params,
        ties_in=ties_in,
        margin_param=margin,
        convergence=_scenario(fail, table.get("convergence"), vocabulary),
        builds_on=_builds_on(fail, table.get("builds_on")),
        formula=formula,
    )


def check_references(
    fail_at: Callable[[Path, str, str], Exception], path: Path, component: Component, catalogue: Mapping[str, Component]
) -> None:
    """The components an entry names (``builds_on``, its convergence network) exist in the course's catalogue."""
    where = f"[{component.class_name}]"
    known = "a component of nnlab or of the course's components/ such as 'activations.Sigmoid'"
    if component.builds_on:
        base = component.builds_on[0]
        if base not in catalogue or base == component.name:
            raise fail_at(path, f"{where}.builds_on.component", f"{known} (not itself), got {base!r}")
    if component.convergence is not None:
        for i, layer in enumerate(component.convergence.network):
            if layer.name not in catalogue:
                raise fail_at(path, f"{where}.convergence.network[{i}].name", f"{known}, got {layer.name!r}")
        names = [layer.name for layer in component.convergence.network]
        if component.kind != "loss" and component.name not in names:  # a loss trains the network as its loss
            raise fail_at(path, f"{where}.convergence.network", f"a network holding {component.name} itself")


# ------------------------------------------------------------------------------- a case
def _case(fail: Fail, raw: Any, signature: tuple[tuple[str, Any], ...]) -> Case:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"]:
        raise fail("", "a table with a non-empty `id`")
    unknown = [key for key in raw if key not in CASE_KEYS]
    if unknown:
        raise fail(f".{unknown[0]}", f"a known key, one of {', '.join(CASE_KEYS)}")
    kwargs = raw.get("kwargs", {})
    if not isinstance(kwargs, dict):
        raise fail(".kwargs", "a table of constructor arguments, e.g. { delta = 0.5 }")
    parameters = [p for p, _ in signature]
    for key in kwargs:
        if key not in parameters:
            raise fail(f".kwargs.{key}", f"a constructor parameter, one of: {', '.join(parameters)}")
    missing = [p for p, default in signature if default is REQUIRED and p not in kwargs]
    if missing:
        raise fail(".kwargs", f"a value for the required parameter `{missing[0]}`")
    scale = raw.get("scale", 1.0)
    if not _number(scale) or not 0 < scale < math.inf:
        raise fail(".scale", f"a positive number (inputs are standard normal times it), got {scale!r}")
    mode = raw.get("mode", "train")
    if mode not in ("train", "eval"):
        raise fail(".mode", f"train or eval, got {mode!r}")
    target = raw.get("target")
    if target not in (None, "soft"):
        raise fail(".target", f"soft (targets drawn in [0, 1]), got {target!r}")
    inputs = raw.get("inputs", "")
    if not isinstance(inputs, str):
        raise fail(".inputs", f"a string naming how the check makes the inputs, got {inputs!r}")
    target_shape = _shape(fail, ".target_shape", raw["target_shape"]) if "target_shape" in raw else None
    return Case(
        raw["id"],
        plain_to_tuples(kwargs),
        _shape(fail, ".input_shape", raw.get("input_shape", [4, 5])),
        float(scale),
        mode,
        target,
        target_shape,
        inputs,
        _numbers(fail, ".losses", raw.get("losses", []), "a list of numbers (what a scripted double reports)"),
        _draws(fail, ".param_draws", raw.get("param_draws", {})),
    )


def plain_to_tuples(value: Any) -> Any:
    """TOML has no tuples: ``kernel_size = [2, 3]`` is the pair a constructor takes.

    The release checker reads its JSON manifest the same way with its own copy (graders/selfcheck/
    manifest.py's ``plain_to_kwargs``): it travels into releases alone and may import nothing of nnlab.
    """
    if isinstance(value, list):
        return tuple(plain_to_tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: plain_to_tuples(v) for k, v in value.items()}
    return value


def _shape(fail: Fail, key: str, shape: Any) -> tuple[int, ...]:
    if not isinstance(shape, list) or not shape or not all(type(n) is int and n > 0 for n in shape):
        raise fail(key, f"a non-empty list of positive sizes such as [6, 3], got {shape!r}")
    return tuple(shape)


# ------------------------------------------------------------------------------- plain values
def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _a(kind: str) -> str:
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"


def _row(raw: Any) -> bool:
    return isinstance(raw, list) and bool(raw) and all(_number(v) for v in raw)


def _numbers(fail: Fail, key: str, raw: Any, expected: str) -> tuple[float, ...]:
    if not isinstance(raw, list) or not all(_number(v) for v in raw):
        raise fail(key, expected)
    return tuple(float(v) for v in raw)


def _names(fail: Fail, key: str, raw: Any, expected: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(item, str) and item.isidentifier() for item in raw):
        raise fail(key, f"{expected}, got {raw!r}")
    return tuple(raw)


def _flag(fail: Fail, key: str, raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise fail(key, f"true or false, got {raw!r}")
    return raw


def _table(fail: Fail, key: str, raw: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise fail(key, f"a table with keys among {', '.join(keys)}, got {raw!r}")
    unknown = [k for k in raw if k not in keys]
    if unknown:
        raise fail(f"{key}.{unknown[0]}", f"a known key, one of {', '.join(keys)}")
    return raw


def _float(fail: Fail, key: str, raw: Any, default: float) -> float:
    value = raw.get(key.rpartition(".")[2], default)
    if not _number(value):
        raise fail(key, f"a number, got {value!r}")
    return float(value)


def _among(fail: Fail, key: str, raw: Any, known: tuple[str, ...] | None, what: str) -> tuple[str, ...]:
    """A list of names, each among ``known`` (the graders' names; unchecked when None)."""
    among = f" among the {what}: {', '.join(known)}" if known is not None else ""
    if not isinstance(raw, list) or not all(isinstance(name, str) for name in raw):
        raise fail(key, f"a list of names{among}, got {raw!r}")
    for name in raw:
        if known is not None and name not in known:
            raise fail(key, f"names{among}; got {name!r}")
    return tuple(raw)


# ------------------------------------------------------------------------------- the fields
def _properties(fail: Fail, kind: str, raw: Any, rubric: Rubric | None) -> tuple[str, ...]:
    """The release checker's properties (graders/selfcheck/properties.py) the component must have."""
    known = rubric.properties(kind) if rubric is not None else None
    return _among(fail, "properties", raw, known, f"release checker's properties of a {kind}")


def _geometry(fail: Fail, raw: Any, parameters: tuple[str, ...], vocabulary: Mapping[str, tuple[str, ...]]) -> str:
    known = vocabulary.get("geometries")
    if not isinstance(raw, str) or (known is not None and raw and raw not in known):
        raise fail("geometry", f"one of {', '.join(known or ('a geometry name',))}, got {raw!r}")
    missing = [p for p in vocabulary.get(f"geometry {raw}", ()) if p not in parameters]
    if raw and missing:
        raise fail("geometry", f"a constructor with the parameters a {raw!r} layer is configured by ({missing[0]})")
    return raw


def _invariants(fail: Fail, raw: Any, vocabulary: Mapping[str, tuple[str, ...]]) -> tuple[Invariant, ...]:
    if not isinstance(raw, list):
        raise fail("invariants", 'a list such as [{ statement = "odd", relation = "f(-x) = -f(x)" }]')
    relations = vocabulary.get("relations")
    invariants = []
    for i, item in enumerate(raw):
        key = f"invariants[{i}]"
        table = _table(fail, key, item, ("statement", "relation", "message", "factor"))
        statement, relation, message = table.get("statement"), table.get("relation"), table.get("message", "")
        if not isinstance(statement, str) or not statement:
            raise fail(f"{key}.statement", "a non-empty string (what the rubric line says)")
        if not isinstance(relation, str) or (relations is not None and relation not in relations):
            raise fail(f"{key}.relation", f"one of {', '.join(relations or ('a relation',))}, got {relation!r}")
        if not isinstance(message, str):
            raise fail(f"{key}.message", f"a string (the failure sentence), got {message!r}")
        invariants.append(Invariant(statement, relation, message, _float(fail, f"{key}.factor", table, 1.0)))
    return tuple(invariants)


def _domain(fail: Fail, raw: Any) -> Domain:
    table = _table(fail, "domain", raw, ("low", "high", "min_ndim"))
    low, high = _float(fail, "domain.low", table, -math.inf), _float(fail, "domain.high", table, math.inf)
    if not low < high:
        raise fail("domain", f"low < high, got {low} and {high}")
    min_ndim = table.get("min_ndim", 1)
    if type(min_ndim) is not int or not 1 <= min_ndim <= 4:
        raise fail("domain.min_ndim", f"1, 2, 3 or 4, got {min_ndim!r}")
    return Domain(low, high, min_ndim)


def _extremes(fail: Fail, raw: Any, parameters: tuple[str, ...]) -> Extremes | None:
    """``true`` (the default extremes), ``false`` (not tried) or a table."""
    if isinstance(raw, bool):
        return Extremes() if raw else None
    table = _table(fail, "extremes", raw, ("inputs", "limits", "settings", "sums_to_one"))
    rows = table.get("inputs", [list(row) for row in Extremes().inputs])
    if not isinstance(rows, list) or not rows or not all(_row(r) for r in rows):
        raise fail("extremes.inputs", "a non-empty list of rows of numbers, e.g. [[-1000.0, 1000.0]]")
    if len({len(r) for r in rows}) != 1:
        raise fail("extremes.inputs", "rows of one length (they make a 2-D array)")
    limits = table.get("limits", [])
    if not isinstance(limits, list) or not all(_row(p) and len(p) == 2 for p in limits):
        raise fail("extremes.limits", "a list of [x, f(x)] pairs, e.g. [[1000.0, 1.0], [-1000.0, 0.0]]")
    settings = table.get("settings", [])
    if not isinstance(settings, list) or not all(isinstance(s, dict) and set(s) <= set(parameters) for s in settings):
        raise fail("extremes.settings", f"a list of tables of constructor arguments ({', '.join(parameters)})")
    return Extremes(
        tuple(tuple(float(x) for x in row) for row in rows),
        tuple((float(x), float(y)) for x, y in limits),
        tuple(plain_to_tuples(s) for s in settings),
        _flag(fail, "extremes.sums_to_one", table.get("sums_to_one", False)),
    )


def _draws(fail: Fail, key: str, raw: Any) -> tuple[tuple[str, Draw], ...]:
    """``{ weight = { distribution = "uniform", low = 0.05, high = 0.5 } }``: seeded values per name."""
    if not isinstance(raw, dict):
        raise fail(key, 'a table of draws such as { weight = { distribution = "uniform", low = 0.05, high = 0.5 } }')
    draws = []
    for name, item in raw.items():
        where = f"{key}.{name}"
        if not name.isidentifier():
            raise fail(where, "an attribute name")
        table = _table(fail, where, item, DRAW_KEYS)
        distribution = table.get("distribution", "normal")
        if distribution not in ("normal", "uniform"):
            raise fail(f"{where}.distribution", f"normal or uniform, got {distribution!r}")
        numbers = {k: _float(fail, f"{where}.{k}", table, getattr(Draw(), k)) for k in DRAW_KEYS[1:]}
        if numbers["std"] < 0 or numbers["low"] > numbers["high"]:
            raise fail(where, "std >= 0 and low <= high")
        draws.append((name, Draw(distribution, **numbers)))
    return tuple(draws)


def _builds_on(fail: Fail, raw: Any) -> tuple[str, ...]:
    """``{ component = "activations.Sigmoid", how = "keeps a Sigmoid for its derivative" }``."""
    if raw is None:
        return ()
    table = _table(fail, "builds_on", raw, ("component", "how"))
    component, how = table.get("component"), table.get("how", "")
    if not isinstance(component, str) or component.count(".") != 1:
        raise fail("builds_on.component", f"a component name such as 'activations.Sigmoid', got {component!r}")
    if not isinstance(how, str) or not how:
        raise fail("builds_on.how", "a non-empty string saying how it builds on it (the report quotes it)")
    return (component, how)


def _scenario(fail: Fail, raw: Any, vocabulary: Mapping[str, tuple[str, ...]]) -> Scenario | None:
    """The convergence family's task: ``{ data = "spirals", network = [...], epochs = 150, lr = 0.03 }``."""
    if raw is None:
        return None
    table = _table(fail, "convergence", raw, SCENARIO_KEYS)
    data = table.get("data")
    datasets = vocabulary.get("scenario data")
    if not isinstance(data, str) or (datasets is not None and data not in datasets):
        raise fail("convergence.data", f"one of {', '.join(datasets or ('a data set',))}, got {data!r}")
    network = table.get("network")
    if not isinstance(network, list) or not network:
        raise fail("convergence.network", 'a non-empty list of layers, e.g. { name = "layers.Linear", args = [2, 32] }')
    layers = []
    for i, item in enumerate(network):
        where = f"convergence.network[{i}]"
        layer = _table(fail, where, item, ("name", "args", "kwargs"))
        args, kwargs = layer.get("args", []), layer.get("kwargs", {})
        if not isinstance(layer.get("name"), str) or not isinstance(args, list) or not isinstance(kwargs, dict):
            raise fail(where, 'a layer { name = "layers.Linear", args = [2, 32], kwargs = { bias = true } }')
        layers.append(Layer(layer["name"], plain_to_tuples(args), tuple(plain_to_tuples(kwargs).items())))
    epochs, batch_size = table.get("epochs"), table.get("batch_size")
    if type(epochs) is not int or epochs < 1:
        raise fail("convergence.epochs", f"a positive whole number, got {epochs!r}")
    if batch_size is not None and (type(batch_size) is not int or batch_size < 1):
        raise fail("convergence.batch_size", f"a positive whole number (absent: full batch), got {batch_size!r}")
    lr = _float(fail, "convergence.lr", table, math.nan)
    if not lr > 0:
        raise fail("convergence.lr", "a positive learning rate")
    loss, losses = table.get("loss", "cross-entropy"), vocabulary.get("scenario losses")
    if not isinstance(loss, str) or (losses is not None and loss not in losses):
        raise fail("convergence.loss", f"one of {', '.join(losses or ('a loss',))}, got {loss!r}")
    targets, description = table.get("targets", "class"), table.get("description", "")
    if targets not in ("class", "column"):
        raise fail("convergence.targets", f"class or column, got {targets!r}")
    if not isinstance(description, str) or not description:
        raise fail("convergence.description", "the network in words (the rubric line says: trains <description>)")
    threshold = _float(fail, "convergence.threshold", table, 0.0)
    return Scenario(data, tuple(layers), epochs, batch_size, lr, loss, description, targets, threshold)
