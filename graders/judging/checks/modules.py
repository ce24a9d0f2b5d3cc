"""Rubric for modules (activations and layers): interface, values, gradients, contracts.

Each check below is one line of the rubric; its name is what the student reads.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from typing import Any

import numpy as np
from nnlab.exercises.components import Case
from nnlab.graders import settings
from nnlab.graders.results import ERROR, OBSERVATIONS, Outcome, failed, passed
from nnlab.graders.running.puppet import StudentCrash, StudentError, StudentTimeout

from .. import evidence
from ..catalogue import Context, check
from ..contracts import EVAL_MODE, backward_contract, during, forward_contract, is_shape_error, promised
from ..crashes import saved_attribute_missing, string_settings
from ..diagnose import IS, LOOKS_LIKE, Diagnosis
from ..tolerance import agrees, allclose, as_array, compare, fmt
from . import activation_mistakes, layer_mistakes, misconceptions, pool_loops, window_mistakes
from .inputs import build_twin, module_input, reference_class, safe_input, upstream
from .stored_settings import stored_otherwise
from .support import (
    check_signature,
    dtype_problem,
    first_change,
    first_failure,
    gradient_agreement,
    judge,
    most_telling_dtype,
    not_random,
)

MODULES = ("activation", "layer")


# ------------------------------------------------------------------------------- helpers


def _raised(error: StudentError) -> str:
    """What the student's code raised, with the contract it broke where one was promised."""
    contract = f" The contract: {error.contract}." if error.contract else ""
    return f"raised {error.describe().rstrip()}.{contract}"


def explained_crash(name: str, error: StudentError, found: tuple[str, str] | None) -> Outcome:
    """A shape error in the student's code that a known mistake explains (a pattern: "looks like");
    any other error goes on to the runner, which reports it."""
    if found is None or not is_shape_error(error):
        raise error
    text = f"{_raised(error)} Looks like: {found[1]} (the pattern fits; not confirmed)."
    return Outcome(name, ERROR, text, found[0], confidence=LOOKS_LIKE)


def read_backward_crash(
    ctx: Context, case: Case, twin: Any, x: np.ndarray, forward_out: Any, error: StudentError
) -> None:
    """Backward raised reading an attribute its object lacks: forward's output of the same call says why. Right, and
    forward took this setting's path, which did not save it; reproduced by one simulated forward mistake, and forward
    took another path (another formula) than backward, which reads what this setting's path saves. Sets
    ``error.diagnosis`` (the runner's reading of the crash comes after it); computed only once backward raised."""
    if error.diagnosis is None and error.type_name == "UnboundLocalError":
        error.diagnosis = _unassigned_without_bias(ctx, case, error)
    if error.diagnosis is None and error.type_name == "IndexError" and ctx.component.formula == "max-pool":
        error.diagnosis = _winner_decode_probed(ctx, case, x.shape, error.message)
    if error.diagnosis is not None or error.type_name != "AttributeError" or not error.where.endswith("in backward"):
        return
    found = re.search(r"'\w+' object has no attribute '(\w+)'", error.message)
    actual = as_array(forward_out)
    if found is None or actual is None:
        return
    changed = _setting_changed_by_forward(ctx, case, twin.handle)
    if changed:
        error.diagnosis = Diagnosis(
            "hyperparameter-overwritten",
            f"forward changed the setting {changed}, and backward reads it too: it then took another branch "
            f"than forward did, and reads `self.{found.group(1)}`, which only that other branch saves. Keep "
            "every constructor argument as given and compute what is derived from it into a local variable",
            IS,
        )
        return
    expected = twin.ref.forward(x)
    if evidence.same(actual, expected):
        error.diagnosis = saved_attribute_missing(error, ctx.component)
        return
    variants = misconceptions.forward_variants(ctx.component, case, twin, x, None, actual)
    fits = [(tag, text) for tag, (value, text) in variants.items() if evidence.same(actual, np.asarray(value))]
    if len(fits) != 1 or fits[0][0].partition("#")[0] in OBSERVATIONS:
        return  # no simulated mistake, or several (or numbers several give alike): forward's path is not singled out
    tag, text = fits[0]
    # A string setting tested by its truth value is how forward and backward part ways while each reads well.
    truth = "".join(
        f"; if a test reads `if self.{name}:`, it is true for every non-empty string, {default!r} included: compare "
        "the string with the value that selects the branch (==), in forward as in backward"
        for name, default in ctx.component.signature
        if name in string_settings(ctx.component)
    )
    error.diagnosis = Diagnosis(
        tag.split("#")[0],
        f"forward's output is this mistake's (a simulation reproduces it): {text}. Backward then reads "
        f"`self.{found.group(1)}`, which the path forward took did not save{truth}",
        IS,
    )


def _winner_decode_probed(ctx: Context, case: Case, x_shape: tuple[int, ...], message: str) -> Diagnosis | None:
    """MaxPool2d's backward raised an IndexError past the input's edge, at an index a window's maximum unravelled
    with the window's sides swapped reaches (window_mistakes.decoded_past_the_edge), and so does the column offset
    added to the row index. The student's layer is rerun on a window of unequal sides, neither 1, spaced wider than
    either side so that no offset runs past the edge: when its input gradient is exactly one of the swapped
    decodings that leave the window along that axis, and no other known mistake's, that is the cause (IS); where the
    rerun raised too, what the index shows, with every way to reach it, under a tag that names no mistake
    (LOOKS_LIKE); where it ran and gave other numbers, nothing."""
    geo = window_mistakes.geometry(ctx.component, case, x_shape)
    reached = window_mistakes.decoded_past_the_edge(message, x_shape, geo)
    if reached is None:
        return None
    axis, index, size = reached
    observed = Diagnosis(
        window_mistakes.OUTSIDE_THE_WINDOW, window_mistakes.decoded_past_text(axis, index, geo), LOOKS_LIKE
    )
    kernel = window_mistakes.probe_window(geo)
    stride, shape = window_mistakes.offsets_probe(kernel)
    kwargs = {**case.kwargs, "kernel_size": kernel, "stride": stride}
    rng = ctx.rng("winner-decode-probe", case.id)
    x, ref = rng.standard_normal(shape), reference_class(ctx.component.name)(**kwargs)
    g = rng.standard_normal(ref.forward(x).shape)
    try:
        handle = ctx.session.new(ctx.component.name, **kwargs)
        ctx.session.call(handle, "forward", x)
        got = as_array(ctx.session.call(handle, "backward", g))
    except StudentError as error:
        if isinstance(error, (StudentTimeout, StudentCrash)):
            raise
        return observed  # (the rerun raised too: what the index shows is all there is)
    if got is None or got.shape != x.shape:
        return observed
    probe_geo = window_mistakes.geometry(ctx.component, Case("probe", kwargs, shape), shape)
    verdict = window_mistakes.probe_verdict(
        ctx.component, list(window_mistakes.DECODED_PAST[axis]), x, g, probe_geo, got
    )
    if verdict is None:
        return None  # the rerun's numbers are not a swapped decoding's: the index's readings are not said either
    what, (kH, kW) = ("row" if axis == 2 else "column"), geo.kernel
    return Diagnosis(
        verdict[0],
        f"your MaxPool2d rerun with kernel_size={kernel} and stride={stride} on an input of shape {shape}, where the "
        "windows are spaced wider than either side so that no decoded offset runs past the edge, gives exactly one "
        f"known mistake's input gradient, and no other's: {verdict[1]}. On this case's {kH}x{kW} window the same "
        f"decoding reaches {what} {index} of an input with {size} {what}s, the index numpy refused",
        IS,
    )


def _unassigned_without_bias(ctx: Context, case: Case, error: StudentError) -> Diagnosis | None:
    """A local variable never assigned in a call made on a layer built with bias=False: its assignment sits on
    the path of the bias (under `if self.bias is not None:`), which this case alone skips."""
    found = re.search(r"local variable '(\w+)'", error.message)
    if found is None or "bias" not in dict(ctx.component.signature) or case.kwargs.get("bias", True):
        return None
    name = found.group(1)
    return Diagnosis(
        "bias-none",
        f"`{name}` was never assigned in this call, on a layer built with bias=False (its bias is None): the "
        f"assignment of `{name}` sits on the path of the bias, most likely indented into the block "
        f"`if self.bias is not None:`, which is skipped without a bias. Only the bias's own gradient (and its "
        f"addition in forward) depends on the bias: compute `{name}` outside that block",
        LOOKS_LIKE,
    )


def _setting_changed_by_forward(ctx: Context, case: Case, handle: Any) -> str:
    """``self.approximate from 'tanh' to True``: a constructor setting (a string, a flag, a number) that the
    module holds under its own name, and that holds something else after a forward; '' when none does."""
    held = misconceptions.saved_state(ctx.session, handle)
    plain = str | bool | int | float
    for param, default in ctx.component.signature:
        given, now = case.kwargs.get(param, default), held.get(param)
        if param not in held or not isinstance(given, plain) or not isinstance(now, plain):
            continue
        if type(now) is type(given) and now == given:
            continue
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (given, now))
        if numbers and np.isclose(now, given, rtol=settings.EXACT_RTOL, atol=0.0):
            continue  # (0.5 held as np.float64 0.5, or an int given as a float)
        return f"self.{param} from {given!r} to {now!r}"
    return ""


def batch_reduced(component: Any, x: np.ndarray) -> int | None:
    """The batch size, for the quantities whose computation reduces over the batch (a layer's: a per-sample loop,
    a batch statistic), or None. An activation's output and input gradient are computed entry by entry (or row by
    row, softmax): no mean or sum over the batch enters them, so a factor that equals the batch size is never a
    mean taken as a sum there (a parameter's gradient, PReLU's slope or Maxout's weights, is summed over the batch
    and keeps it)."""
    return None if component.kind == "activation" else x.shape[0]


def param_shapes(twin: Any) -> dict[str, tuple[int, ...]]:
    """``{"weight": (2, 3), "bias": (2,)}``: for the contract a crash broke (contracts.py)."""
    return {name: value.shape for name, value in twin.params.items()}


# ------------------------------------------------------------------------------- api
@check("api", "constructor signature", MODULES, interface=True)
def constructor_signature(ctx: Context) -> Outcome:
    return check_signature(ctx)


@check("api", "attributes and parameters", MODULES, per_case=True, interface=True)
def attributes(ctx: Context, case: Case) -> Outcome:
    name = f"attributes and parameters: {case.id}"
    session, component = ctx.session, ctx.component
    twin = build_twin(ctx, case)
    problems = []
    if case.mode == "train" and session.get(twin.handle, "training") is not True:
        problems.append("`training` should be True after construction")
    listed = session.call(twin.handle, "parameters")
    if not isinstance(listed, list):
        problems.append(f"parameters() should return a list, got {type(listed).__name__}")
        listed = []
    expected_names = component.params_for(case.kwargs)
    for param in expected_names:
        handle = session.get(twin.handle, param)
        if handle not in listed:
            problems.append(f"parameters() does not include `{param}`")
        shape = getattr(twin.ref, param).data.shape
        grad = session.get(twin.handle, f"{param}.grad")
        grad = as_array(grad)
        if grad is None or grad.shape != shape:
            problems.append(f"`{param}.grad` should be an array of shape {shape}")
    if len(listed) != len(expected_names):
        problems.append(
            f"parameters() should list {len(expected_names)} parameter(s) "
            f"({', '.join(expected_names) or 'none'}), got {len(listed)}"
        )
    if "bias" in component.params and case.kwargs.get("bias", True) is False:
        if session.get(twin.handle, "bias") is not None:
            problems.append("with bias=False, `bias` should be None")
            # A bias built although bias=False, and nothing else amiss but the count it adds to parameters():
            # the flag was not honoured. Tested against None (False is not None) or not tested at all give the
            # same layer, so both are said.
            count = f"parameters() should list {len(expected_names)} parameter(s)"
            if all(p.startswith(count) or p.startswith("with bias=False") for p in problems):
                return failed(
                    name,
                    "; ".join(problems) + ". Looks like: the constructor built a bias although bias=False: the flag "
                    "was tested against None (`if bias is not None` is true for False too) or not tested at all; "
                    "test its truth, `... if bias else None`.",
                    "flag-tested-against-none",
                    confidence=LOOKS_LIKE,
                )
    if problems:
        return failed(name, "; ".join(problems) + ".", "attributes")
    return _settings_kept_as_given(ctx, name, case, twin.handle)


def _settings_kept_as_given(ctx: Context, name: str, case: Case, handle: Any) -> Outcome:
    """docs/api.md: an attribute named as a constructor argument holds the argument as it was given (`self.p`,
    `self.momentum`); what is derived from it (1 - p, a scale) lives in local variables. Read right after the
    constructor, for the float settings the case passes (a default of the student's own is the signature row's),
    the ones a derived value can replace; a case that passes none costs no read."""
    passed_ones = [(p, d) for p, d in ctx.component.signature if type(case.kwargs.get(p)) is float]
    if not passed_ones:
        return passed(name)
    found = stored_otherwise(passed_ones, case.kwargs, misconceptions.saved_state(ctx.session, handle))
    if not found:
        return passed(name)
    param, tag, why = found[0]
    if not tag:
        return failed(
            name,
            f"Right after the constructor, `{param}` is not the argument: {why}; docs/api.md: an attribute named as "
            "a constructor argument keeps the argument as given.",
            "values",
        )
    return failed(name, f"Right after the constructor, `{param}` is not the argument: {why}.", tag, confidence=IS)


@check(
    "api",
    "parameters filled at construction with their constructor argument",
    MODULES,
    when=lambda c: bool(c.filled),
)
def filled_at_construction(ctx: Context) -> Outcome:
    """docs/api.md fills some parameters with an argument (PReLU's weight with init): a new module holds it."""
    name = "parameters filled at construction with their constructor argument"
    defaults = dict(ctx.component.signature)
    for case in ctx.component.cases:
        ref = reference_class(ctx.component.name)(**case.kwargs)
        handle = ctx.session.new(ctx.component.name, **case.kwargs)
        for param, argument in ctx.component.filled:
            value, default = case.kwargs.get(argument, defaults[argument]), defaults[argument]
            want = getattr(ref, param).data
            got = as_array(ctx.session.get(handle, f"{param}.data"))
            if got is None or got.shape != want.shape or allclose(got, want):
                continue  # (a missing or misshapen parameter is the attributes row's)
            called = f"{ctx.component.name.rpartition('.')[2]}({_arguments(case.kwargs)})"
            held = f"{fmt(float(got.flat[0]))} in every entry" if np.all(got == got.flat[0]) else str(got.tolist())
            text = f"{called}: `{param}` starts as {held}, expected every entry {argument} = {value!r}"
            if value != default and allclose(got, default):
                return failed(
                    name,
                    f"{text}. Cause: it holds {default!r}, the default of {argument}: the constructor filled it "
                    f"with a number written in the code, not with the argument {argument} it was given.",
                    "hyperparameter-ignored",
                    confidence="is",
                )
            return failed(name, f"{text}: docs/api.md fills `{param}` with {argument}.")
    return passed(name)


def _arguments(kwargs: dict[str, Any]) -> str:
    return ", ".join(f"{key}={value!r}" for key, value in kwargs.items())


@check("api", "output shape and dtype", MODULES, per_case=True)
def output_shape_and_dtype(ctx: Context, case: Case) -> Outcome:
    name = f"output shape and dtype: {case.id}"
    twin = build_twin(ctx, case)
    x = safe_input(ctx, case, twin)
    expected_shape = twin.ref.forward(x).shape
    # float32 input: results are float64 whatever the input's dtype (docs/api.md).
    with promised(forward_contract(x.shape, expected_shape, param_shapes(twin))):
        y = ctx.session.call(twin.handle, "forward", x.astype(np.float32))
    problems = []
    y_array = as_array(y)
    if y_array is None:
        return failed(
            name,
            f"forward returned {type(y).__name__}, expected an array of shape {expected_shape}.",
            "returned-none" if y is None else "wrong-type",
        )
    if y_array.shape != expected_shape:
        problems.append(f"forward returned shape {y_array.shape}, expected {expected_shape}")
    tags = []  # what each wrong dtype says (a comparison, a truncation, a precision lost)
    bare = y_array.ndim == 0 < len(expected_shape)  # a bare number where an array belongs: its shape says it all
    if y_array.dtype != np.float64 and not bare:
        text, tag = dtype_problem("forward returned", y_array.dtype, "results must be float64", " for float32 input")
        problems.append(text)
        tags.append(tag)
    g = upstream(ctx, case, expected_shape)
    try:
        with promised(backward_contract(x.shape, expected_shape, param_shapes(twin))):
            gx = as_array(ctx.session.call(twin.handle, "backward", g))
    except StudentError as error:
        read_backward_crash(ctx, case, twin, x.astype(np.float32).astype(np.float64), y, error)
        raise
    if gx is None:
        problems.append("backward returned no array")
    else:
        if gx.shape != x.shape:
            problems.append(
                f"backward returned shape {gx.shape}; the gradient of the input has the input's shape {x.shape}"
            )
        if gx.dtype != np.float64:
            text, tag = dtype_problem("backward returned", gx.dtype, "gradients must be float64")
            problems.append(text)
            tags.append(tag)
    if problems:
        return failed(name, "; ".join(problems) + ".", most_telling_dtype(tags) if tags else "wrong-shape")
    return passed(name)


# ------------------------------------------------------------------------------- reference
@check("reference", "forward", MODULES, per_case=True, when=not_random)
def forward_matches_reference(ctx: Context, case: Case) -> Outcome:
    name = f"forward: {case.id}"
    twin = build_twin(ctx, case)
    x = safe_input(ctx, case, twin)
    expected = twin.ref.forward(x)
    try:
        with promised(forward_contract(x.shape, expected.shape, param_shapes(twin))):
            actual = ctx.session.call(twin.handle, "forward", x)
    except StudentError as error:
        if error.diagnosis is None and error.type_name == "UnboundLocalError":
            error.diagnosis = _unassigned_without_bias(ctx, case, error)
        return explained_crash(
            name, error, misconceptions.crash(ctx.component, case, "forward", error.message, error.source)
        )
    # the mistakes reruns of the student's own code confirmed (computed with the variants, once)
    proven = misconceptions.Lazy(lambda: _forward_proven(ctx, case, twin, x, expected, actual))
    variants = misconceptions.Lazy(
        lambda: misconceptions.forward_variants(
            ctx.component,
            case,
            twin,
            x,
            lambda: misconceptions.saved_state(ctx.session, twin.handle),
            actual,
            lambda: dict(proven),
        )
    )

    def judged(variants: Any) -> Outcome:
        return judge(
            name,
            actual,
            expected,
            "the output",
            batch=batch_reduced(ctx.component, x),
            variants=variants,
            subsets=misconceptions.Lazy(lambda: misconceptions.forward_subsets(ctx.component, case, x)),
            factors=misconceptions.factors(ctx.component, case),
            shapes=misconceptions.Lazy(lambda: misconceptions.shapes(ctx.component, case)),
            related={"the input x": x},
            scale=float(np.max(np.abs(x))) if x.size else None,
        )

    outcome = judged(variants)
    if not outcome.passed:  # the mistakes this case alone cannot refute, tested with the settings at their defaults
        refuted = _refuted_at_defaults(ctx, case, x, variants)
        # (not those a rerun of the student's code confirmed: no coincidence of this case's settings made them)
        refuted = refuted - set(proven) if refuted else refuted
        if refuted:
            outcome = judged({t: v for t, v in variants.items() if t not in refuted})
    if outcome.misconception == window_mistakes.POSITIONS_SKIPPED:
        probed = _position_loops_probed(ctx, case, twin, x, as_array(actual))
        if probed is not None:
            return failed(name, f"{outcome.feedback} {probed[1]}", probed[0], confidence=IS)
    if not outcome.passed and not outcome.confidence:
        squeezed = _batch_axis_squeezed(ctx, twin, x, expected, as_array(actual))
        if squeezed is not None:
            return failed(name, f"{outcome.feedback} Cause: {squeezed}.", "squeezed-output", confidence=IS)
    return outcome


def _forward_proven(
    ctx: Context, case: Case, twin: Any, x: np.ndarray, expected: np.ndarray, actual: Any
) -> misconceptions.Variants:
    """The forward mistakes a rerun of the student's own layer confirms (misconceptions.forward_variants's
    ``proven``): a pool's stride default, Flatten's order of the axes, an activation's mirror image, an output
    overwritten by its exponentials."""
    return {
        **_pool_stride_default(ctx, case, twin, x, expected, actual),
        **_flatten_order_probed(ctx, case, x, None, as_array(actual)),
        **_mirror_image_probed(ctx, case, twin, x, as_array(actual)),
        **_exp_held_probed(ctx, case, x, expected, as_array(actual)),
    }


def _saved_size_read(
    ctx: Context, case: Case, twin: Any, x: np.ndarray, expected: np.ndarray, forward_out: Any, saved: tuple[int, ...]
) -> Diagnosis | None:
    """Backward refused a grad_y of the output's shape against ``saved``, the output shape its forward saved, which
    an output-size formula gives (layer_mistakes.crash reads it from the message alone). What forward returned in
    the same call tells whether that formula is the cause; None where it tells nothing.

    * Forward returned the right shape: only the size saved for backward is wrong, the formula's reading stands
      (said of the saved shape, not of forward's output).
    * Forward returned the saved shape: its windows were placed otherwise, and the output size follows from them
      (a stride of 1 gives the stride-free size whether the stride was ignored or defaulted to 1). Forward's own
      simulations and reruns say which, where one alone reproduces its output (IS): a pool's stride default is
      proven by the layer built again with the stride passed."""
    out = as_array(forward_out)
    if out is None:
        return None
    if out.shape == expected.shape:
        opening = (
            f"forward returned the right shape {expected.shape}, but saved {saved} as the output's shape, which "
            "backward checks grad_y against"
        )
        found = layer_mistakes.saved_size_reading(ctx.component, case, saved, opening)
        return None if found is None else Diagnosis(*found, LOOKS_LIKE)
    if out.shape != saved:
        return None
    variants = misconceptions.forward_variants(
        ctx.component,
        case,
        twin,
        x,
        lambda: misconceptions.saved_state(ctx.session, twin.handle),
        out,
        lambda: _forward_proven(ctx, case, twin, x, expected, out),
    )
    fits = {tag.partition("#")[0]: text for tag, (value, text) in variants.items() if evidence.same(out, value)}
    if len(fits) != 1 or next(iter(fits)) in OBSERVATIONS:
        return None  # no simulated mistake, or several: the shape's own reading is all there is
    ((tag, text),) = fits.items()
    return Diagnosis(
        tag,
        f"forward's output, of shape {saved}, is what one known mistake gives (a simulation reproduces it), and "
        f"backward checks grad_y against that shape: {text}",
        IS,
    )


def _position_loops_probed(
    ctx: Context, case: Case, twin: Any, x: np.ndarray, actual: np.ndarray | None, g: np.ndarray | None = None
) -> tuple[str, str] | None:
    """A layer over windows that skipped output positions the way several wrong loop bounds do alike on this case
    (range(H') for the columns and range(W' - 1) agree when H' = W' - 1): forward (Conv2d, the pools), or with ``g``
    a pool's backward, where a bound's gradient is the right backward of grad_y kept on the windows it reaches. The
    student's layer is run once more on an output wider than tall and once on one taller than wide, stride 1 and no
    padding, where those bounds reach different positions; the one bound whose numbers a rerun gives, and no other's,
    is the cause: ``(tag, sentence)``."""
    formula = ctx.component.formula
    pools = ("max-pool", "avg-pool")
    if formula not in (pools if g is not None else ("convolution", *pools)) or actual is None:
        return None

    def bounds(module: Any, x: np.ndarray, g: np.ndarray | None, geo: window_mistakes.Geometry) -> dict[str, Any]:
        if g is not None:
            found = {}
            for tag, rows, cols, text in pool_loops.position_bounds(geo, "backward", merge=False):
                kept = np.zeros_like(g)
                kept[:, :, rows.start : rows.stop, cols.start : cols.stop] = g[
                    :, :, rows.start : rows.stop, cols.start : cols.stop
                ]
                reference = copy.deepcopy(module.ref)
                reference.forward(x)
                found[tag] = (reference.backward(kept), text)
            return found
        if formula == "convolution":
            right, bias = module.ref.forward(x), module.params.get("bias")
            return window_mistakes.position_loop_variants(right, bias, geo, merge=False)
        return pool_loops.forward_loop_variants(x, geo, formula == "avg-pool", merge=False)

    simulated = bounds(twin, x, g, window_mistakes.geometry(ctx.component, case, x.shape))
    candidates = {tag for tag, (value, _) in simulated.items() if evidence.same(actual, value)}
    if len({tag.partition("#")[0] for tag in candidates}) < 2:
        return None
    kH, kW = window_mistakes.pair(case.kwargs["kernel_size"])
    settings_of_probe = {"stride": 1, "padding": 0} if formula == "convolution" else {"stride": 1}
    for out_hw in ((2, 5), (5, 2)):  # H' < W' - 1, then H' > W' + 1: every bound reaches other positions
        shape = (2, x.shape[1], kH - 1 + out_hw[0], kW - 1 + out_hw[1])
        probe = Case(f"{case.id}, probed", {**case.kwargs, **settings_of_probe}, shape)
        probe_twin = build_twin(ctx, probe)
        probe_x = safe_input(ctx, probe, probe_twin)
        probe_g = None if g is None else upstream(ctx, probe, probe_twin.ref.forward(probe_x).shape)
        try:
            got = as_array(ctx.session.call(probe_twin.handle, "forward", probe_x))
            if probe_g is not None:
                got = as_array(ctx.session.call(probe_twin.handle, "backward", probe_g))
        except StudentError as error:
            if isinstance(error, (StudentTimeout, StudentCrash)):
                raise
            continue  # a bound past this output's side raises here: the other probe tells
        if got is None:
            continue
        variants = bounds(probe_twin, probe_x, probe_g, window_mistakes.geometry(ctx.component, probe, shape))
        fits = {tag for tag in candidates if tag in variants and evidence.same(got, variants[tag][0])}
        if len({tag.partition("#")[0] for tag in fits}) == 1:
            tag = min(fits)
            return tag.partition("#")[0], (
                f"Run again on an input whose output is {out_hw[0]}x{out_hw[1]} (stride 1, no padding), where these "
                f"bounds reach different positions, your {'forward' if g is None else 'backward'} gives exactly what "
                f"one of them gives. Cause: {variants[tag][1]}."
            )
    return None


def _refuted_at_defaults(ctx: Context, case: Case, x: np.ndarray, variants: Any) -> set[str]:
    """The simulated mistakes of a case with settings away from their defaults that make no difference with those
    settings at their defaults (a slip in how beta enters is invisible at beta = 1), when the student's forward, run
    again on the same x with those defaults, is wrong there too: they are refuted, since a mistake that is wrong
    everywhere may give the same numbers on this case. Empty when the rerun is right or cannot be made."""
    defaults = dict(ctx.component.signature)
    kwargs = {k: v for k, v in case.kwargs.items() if not (k in defaults and not _same_setting(v, defaults[k]))}
    # (activations only: a layer's variants also come from reruns of the student's own code, not made here)
    if ctx.component.kind != "activation" or len(kwargs) == len(case.kwargs) or not variants:
        return set()
    plain = dataclasses.replace(case, kwargs=kwargs)
    try:
        twin = build_twin(ctx, plain, salt="defaults")
        expected = twin.ref.forward(x)
        got = as_array(ctx.session.call(twin.handle, "forward", x))
        if got is None or got.shape != expected.shape or agrees(got, expected):
            return set()
        # with the module's saved state too: a mistake its stored settings prove is visible at the defaults as well
        saved = misconceptions.saved_state(ctx.session, twin.handle)
        shown = misconceptions.forward_variants(ctx.component, plain, twin, x, lambda: saved, got)
    except Exception:  # the reference or the student's module refuses this x with the defaults: no evidence
        return set()
    visible = {t.partition("#")[0] for t, (v, _) in shown.items() if not evidence.same(np.asarray(v), expected)}
    return {t for t in variants if t.partition("#")[0] not in visible}


def _same_setting(value: Any, default: Any) -> bool:
    try:
        return bool(value == default)
    except Exception:  # an array compared with a number: not a plain setting
        return False


def _batch_axis_squeezed(
    ctx: Context, twin: Any, x: np.ndarray, expected: np.ndarray, actual: np.ndarray | None
) -> str | None:
    """One sample in, and out comes the right shape without its axes of length 1 (the batch's among them): did
    the whole batch go into the output's rows, or were the axes of length 1 squeezed? A batch of two tells: it
    keeps its batch axis when only the length-1 axes are dropped."""
    if actual is None or x.shape[0] != 1 or actual.shape != tuple(n for n in expected.shape if n != 1):
        return None
    two = np.concatenate([x, x])
    right = copy.deepcopy(twin.ref).forward(two).shape
    try:
        got = as_array(ctx.session.call(twin.handle, "forward", two))
    except StudentError:
        return None
    if got is None or got.shape != right:
        return None
    return (
        f"with one sample the output has shape {actual.shape}, with two it has the right shape {right}: the axes of "
        "length 1 were dropped (np.squeeze, or an index [0]), the batch axis of the one sample among them. An axis "
        f"of length 1 is still an axis: the batch axis comes first whatever N, so one sample gives {expected.shape}"
    )


def _pool_stride_default(
    ctx: Context, case: Case, twin: Any, x: np.ndarray, expected: np.ndarray, actual: Any
) -> misconceptions.Variants:
    """A pooling case that leaves stride out is wrong: is the default to blame? docs/api.md (as PyTorch) defaults
    a pool's stride to kernel_size, where a convolution's is 1. The student's layer built again with
    stride=kernel_size passed tells: right then, it honours a given stride and only the stride it takes when none
    is given is wrong (a stride ignored altogether is as wrong with it given). ``{"default-changed": ...}``, with
    the numbers of the student's default where 1 or the stride it stored reproduces them."""
    if ctx.component.formula not in ("max-pool", "avg-pool") or case.kwargs.get("stride") is not None:
        return {}
    kernel = case.kwargs["kernel_size"]
    got = as_array(actual)
    if got is None or got.dtype.kind != "f" or not np.isfinite(got).all():
        return {}
    try:
        handle = ctx.session.new(ctx.component.name, **{**case.kwargs, "stride": kernel})
        given = as_array(ctx.session.call(handle, "forward", x))
    except StudentError:
        return {}
    if given is None or given.shape != expected.shape or not allclose(given, expected):
        return {}
    layer = ctx.component.name.rpartition(".")[2]
    rerun = (
        f"built with stride={kernel!r} (the kernel_size) passed, your {layer} gives the right output: a given stride "
        "is used, and only the stride taken when none is given is wrong. docs/api.md defaults a pool's stride to "
        "kernel_size, as PyTorch's pooling does (stride=None means kernel_size), so that the windows lie side by "
        f"side and {layer}(2) halves the image: `self.stride = kernel_size if stride is None else stride`"
    )
    stored = misconceptions.saved_state(ctx.session, twin.handle).get("stride")
    for stride in dict.fromkeys([(1, 1), _size_pair(stored)]):
        if stride is None or stride == window_mistakes.pair(kernel) or min(stride) < 1:
            continue
        simulated = reference_class(ctx.component.name)(kernel_size=kernel, stride=stride).forward(x)
        if simulated.shape == got.shape and allclose(got, simulated):
            conv = " (a convolution's default stride)" if stride == (1, 1) else ""
            overlap = any(s < k for s, k in zip(stride, window_mistakes.pair(kernel), strict=True))
            return {
                "default-changed": (
                    simulated,
                    f"this case leaves stride out, and your windows then step {stride} apart{conv}"
                    + (", so they overlap" if overlap else "")
                    + f"; {rerun}",
                )
            }
    # The rerun alone separates the cause; which stride the default is, no simulation shows.
    return {"default-changed": (got, f"this case leaves stride out; {rerun}")}


def _with_input_proven(
    variants: dict[str, misconceptions.Variants], proven: misconceptions.Variants
) -> dict[str, misconceptions.Variants]:
    """The input gradient's variants with ``proven`` in place of every variant that gives its numbers."""
    if not proven:
        return variants
    kept = {
        tag: item
        for tag, item in variants.get("input", {}).items()
        if not any(item[0].shape == p.shape and allclose(item[0], p) for p, _ in proven.values())
    }
    return {**variants, "input": {**kept, **proven}}


def _mirror_image_probed(
    ctx: Context, case: Case, twin: Any, x: np.ndarray, got: np.ndarray | None
) -> misconceptions.Variants:
    """An activation's forward gave f(|x|), the mirror image on x < 0, which the stable form's exponent without its
    absolute value and the other branch's formula give alike on ordinary inputs: the student's forward run once more
    at x = -1000 / k, where e^(-k x) overflows, tells them apart (activation_mistakes.mirror_probed)."""
    formula = ctx.component.formula
    if ctx.component.kind != "activation" or formula not in activation_mistakes.STABLE_WITH_ABS or got is None:
        return {}
    probe = activation_mistakes.mirror_probe(formula, case.kwargs)
    if probe is None or got.shape != x.shape:
        return {}
    with np.errstate(all="ignore"):
        mirrored = copy.deepcopy(twin.ref).forward(np.abs(x))
        if not evidence.same(got, mirrored) or evidence.same(got, twin.ref.forward(x)):
            return {}
        right_mirror = reference_class(ctx.component.name)(**case.kwargs).forward(np.abs(probe))
    try:
        handle = ctx.session.new(ctx.component.name, **case.kwargs)
        out = as_array(ctx.session.call(handle, "forward", probe))
    except StudentError:
        return {}
    return activation_mistakes.mirror_probed(
        formula, probe, right_mirror, None if out is None else out.astype(np.float64), mirrored
    )


def _exp_held_probed(
    ctx: Context, case: Case, x: np.ndarray, expected: np.ndarray, got: np.ndarray | None
) -> misconceptions.Variants:
    """An output that holds the exponentials of the right values (LogSoftmax's softmax) is the log forgotten, or the
    log-probabilities overwritten in place by the probabilities forward saves: the numbers cannot tell. Where the
    student's forward, run again in the worker, saves the very array it returns, both are named (the exponentials
    were written into the output, or the saved softmax returned); where it returns an array of its own, nothing was
    overwritten, and the forgotten log stands alone."""
    if got is None or got.shape != expected.shape or got.dtype.kind != "f":
        return {}
    with np.errstate(all="ignore"):
        exponentials = np.exp(expected)
    if not evidence.same(got, exponentials) or evidence.same(got, expected):
        return {}
    handle = ctx.session.new(ctx.component.name, **case.kwargs)
    try:
        trace = ctx.session.harness("backward_trace", handle, [x], [], calls=0)
    except StudentError:
        return {}
    held = trace.get("held_output", []) if isinstance(trace, dict) else []
    if not held:
        return {}
    attributes = ", ".join(f"`self.{name}`" for name in held)
    return {"aliasing+log-missing": (exponentials, activation_mistakes.OUTPUT_HELD_AS_EXP.format(held=attributes))}


def _flatten_order_probed(
    ctx: Context, case: Case, x: np.ndarray, g: np.ndarray | None, got: np.ndarray | None
) -> misconceptions.Variants:
    """Flatten's forward (``g`` None) or backward gave what more than one wrong order of the axes gives (on up to
    four axes column-major order is the channel axis swapped with the last): the student's Flatten run on five axes
    of different sizes, where the orders differ, tells which. ``{tag: (numbers, sentence)}``; under a tag that
    names no mistake, every order that fits, when the run does not tell them apart."""
    if ctx.component.formula != "flatten" or got is None or x.ndim < 3:
        return {}
    orders = layer_mistakes.flatten_orders(x.ndim)

    def laid_out(order: tuple[int, ...]) -> np.ndarray:
        return (
            layer_mistakes.flatten_in_order(x, order)
            if g is None
            else layer_mistakes.unflatten_in_order(g, x.shape, order)
        )

    fits = {tag: laid_out(order) for tag, order in orders.items()}
    fits = {tag: value for tag, value in fits.items() if value.shape == got.shape and allclose(got, value)}
    if len(fits) < 2:
        return {}
    shape = layer_mistakes.FLATTEN_PROBE_SHAPE
    probe = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    probe_g = np.arange(probe.size, dtype=np.float64).reshape(shape[0], -1)
    try:
        handle = ctx.session.new(ctx.component.name, **case.kwargs)
        out = as_array(ctx.session.call(handle, "forward", probe))
        if g is not None:
            out = as_array(ctx.session.call(handle, "backward", probe_g))
    except StudentError:
        out = None
    probed = layer_mistakes.flatten_orders(probe.ndim)
    told = [
        tag
        for tag in fits
        if out is not None
        and np.array_equal(
            out,
            layer_mistakes.flatten_in_order(probe, probed[tag])
            if g is None
            else layer_mistakes.unflatten_in_order(probe_g, shape, probed[tag]),
        )
    ]
    words = layer_mistakes.FLATTEN_ORDER_WORDS
    others = [tag for tag in fits if tag not in told]
    if g is None:
        right = "PyTorch's Flatten reads the axes in row-major order, the channel slowest: x.reshape(N, -1)"
    else:
        right = (
            "forward flattens in row-major order, the channel slowest, so backward undoes it: grad_y.reshape(x.shape)"
        )
    if len(told) == 1:
        (tag,) = told
        how = (
            f"flattened {words[tag][1]}"
            if g is None
            else f"backward unflattened grad_y as if forward had flattened with {words[tag][0]}"
        )
        return {
            tag: (
                fits[tag],
                f"{how}; {right}. On this input that gives the same numbers as "
                f"{' or as '.join(words[t][0] for t in others)}; your Flatten run on an input of shape {shape}, "
                "where they differ, shows which",
            )
        }
    return {
        "flatten-order": (
            next(iter(fits.values())),
            f"{'forward flattened' if g is None else 'backward unflattened grad_y'} in a wrong order of the axes, "
            f"either {' or '.join(words[t][0] for t in fits)}: they give the same numbers here; {right}",
        )
    }


def _outside_offsets_probed(ctx: Context, case: Case) -> tuple[str, str] | None:
    """AvgPool2d's backward crashed at a window offset outside the window, which more than one mistake reaches
    first: the student's layer rerun with the windows spaced wider than either side, where none of them crashes,
    and compared with each simulated mistake. ``(tag, sentence)`` when exactly one reproduces the gradient."""
    if ctx.component.formula != "avg-pool":
        return None
    kernel = window_mistakes.pair(case.kwargs.get("kernel_size"))
    stride, shape = window_mistakes.offsets_probe(kernel)
    kwargs = {**case.kwargs, "stride": stride}
    rng = ctx.rng("offsets-probe", case.id)
    x, ref = rng.standard_normal(shape), reference_class(ctx.component.name)(**kwargs)
    g = rng.standard_normal(ref.forward(x).shape)
    try:
        handle = ctx.session.new(ctx.component.name, **kwargs)
        ctx.session.call(handle, "forward", x)
        got = as_array(ctx.session.call(handle, "backward", g))
    except StudentError as error:
        if isinstance(error, (StudentTimeout, StudentCrash)):
            raise
        return None
    if got is None or got.shape != x.shape:
        return None
    fits = [
        (tag, text)
        for tag, (value, text) in window_mistakes.avg_pool_offsets_variants(g, shape, kernel, stride).items()
        if evidence.same(got, value)
    ]
    if len(fits) != 1:
        return None
    tag, text = fits[0]
    return tag.partition("#")[0], (
        f"Cause: {text}. Your AvgPool2d rerun with kernel_size={kernel} and stride={stride} on an input of shape "
        f"{shape}, where the windows are spaced wider than either side so that no such offset runs past the edge, "
        "gives exactly this mistake's gradient."
    )


def _probe_stride(kernel: tuple[int, int], rows_larger: bool) -> tuple[int, int] | None:
    """Two strides of 2 or more, the larger along the rows where ``rows_larger``, whose wrong steps (one number for
    both axes, the pair swapped, one axis's stride left out) are not the window too (stride-is-kernel would give the
    same numbers)."""
    for a, b in ((2, 3), (3, 4), (2, 5), (4, 5)):
        stride = (b, a) if rows_larger else (a, b)
        if kernel not in {(a, a), (b, b), (stride[1], stride[0]), (stride[0], 1), (1, stride[1])}:
            return stride
    return None


def _stride_probed(
    ctx: Context, case: Case, case_twin: Any, x: np.ndarray, g: np.ndarray, actual: np.ndarray | None = None
) -> tuple[str, str] | None:
    """Conv2d's input gradient on a stride of two different numbers, wrong with no mistake named: ``actual`` None
    where backward raised a shape error no reading of the message explains (windows placed with a larger step than
    the stride run past the input's edge), else numbers several stride mistakes give alike (the row stride for the
    columns is the stride ignored when sW = 1). The student's layer is run again with the stride's order reversed,
    both numbers 2 or more (a case with sH > sW probed with sH < sW), where a step too large now falls short and
    stays inside and each mistake gives its own numbers: the one stride mistake whose input gradient that rerun
    gives, and no other known mistake's, is the cause when the same step raises on this case too (or gives its
    numbers): ``(tag, sentence)``."""
    if ctx.component.formula != "convolution":
        return None
    geo = window_mistakes.geometry(ctx.component, case, x.shape)
    (sH, sW), (kH, kW) = geo.stride, geo.kernel
    if sH == sW:
        return None
    # A step too large (a crash) falls short with the order reversed; a step too small (numbers that several
    # mistakes give alike, as 1 for the stride ignored) keeps the order, both numbers now 2 or more.
    stride = _probe_stride((kH, kW), (sH > sW) == (actual is not None))
    if stride is None:
        return None
    shape = (2, x.shape[1], kH + 2 * stride[0], kW + 2 * stride[1])  # three windows each way, no padding
    probe = Case(f"{case.id}, probed", {**case.kwargs, "stride": stride, "padding": 0}, shape)
    twin = build_twin(ctx, probe)
    probe_x = safe_input(ctx, probe, twin)
    probe_g = upstream(ctx, probe, twin.ref.forward(probe_x).shape)
    try:
        ctx.session.call(twin.handle, "forward", probe_x)
        got = as_array(ctx.session.call(twin.handle, "backward", probe_g))
    except StudentError as error:
        if isinstance(error, (StudentTimeout, StudentCrash)):
            raise
        return None
    if got is None or got.shape != shape:
        return None
    probe_geo = window_mistakes.geometry(ctx.component, probe, shape)
    variants = window_mistakes.conv_backward_variants(twin, probe_x, probe_g, probe_geo)["input"]
    fits = [tag for tag, (value, _) in variants.items() if evidence.same(got, value)]
    if len({tag.partition("#")[0] for tag in fits}) != 1:
        return None
    # The same step on this case: it raises where the student's backward raised, and gives its numbers elsewhere.
    step = window_mistakes.backward_step(geo, fits[0])
    if step is None:
        return None
    here = window_mistakes.conv_input_gradient(case_twin.params["weight"], g, geo, step)
    if (here is None) != (actual is None) or (actual is not None and not evidence.same(actual, here)):
        return None
    where = "that step stays inside the input" if actual is None else "the stride's mistakes give different numbers"
    return fits[0].partition("#")[0], (
        f"Run again with stride {stride} on an input of shape {shape}, where {where}, your backward gives exactly "
        f"what one known mistake gives, and no other does. Cause: {variants[fits[0]][1]}."
    )


def _size_pair(value: Any) -> tuple[int, int] | None:
    """A size the student stored (an int or a pair of ints) as a pair, else None."""
    if type(value) is int:
        return (value, value)
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(type(v) is int for v in value):
        return (value[0], value[1])
    return None


@check("reference", "backward", MODULES, per_case=True, when=not_random)
def backward_matches_reference(ctx: Context, case: Case) -> Outcome:
    name = f"backward: {case.id}"
    twin = build_twin(ctx, case)
    x = safe_input(ctx, case, twin)
    y = twin.ref.forward(x)
    g = upstream(ctx, case, y.shape)
    try:
        with promised(forward_contract(x.shape, y.shape, param_shapes(twin))):
            forward_out = ctx.session.call(twin.handle, "forward", x)
    except StudentError as error:
        return explained_crash(
            name, error, misconceptions.crash(ctx.component, case, "forward", error.message, error.source)
        )
    try:
        with promised(backward_contract(x.shape, y.shape, param_shapes(twin))):
            actual = ctx.session.call(twin.handle, "backward", g)
    except StudentError as error:
        read_backward_crash(ctx, case, twin, x, forward_out, error)
        found = misconceptions.crash(ctx.component, case, "backward", error.message, error.source)
        saved = layer_mistakes.saved_output_shape(error.message) if found is not None else None
        read = None if saved is None else _saved_size_read(ctx, case, twin, x, y, forward_out, saved)
        if read is not None and read.confidence == IS:
            return Outcome(name, ERROR, f"{_raised(error)} Cause: {read.text}.", read.tag, confidence=IS)
        found = found if read is None else (read.tag, read.text)
        if found is None and is_shape_error(error):  # (a crash no reading explains: a rerun where it would not)
            probed = _stride_probed(ctx, case, twin, x, g)
            if probed is not None:
                return Outcome(name, ERROR, f"{_raised(error)} {probed[1]}", probed[0], confidence=IS)
        if found is not None and found[0] == window_mistakes.OUTSIDE_THE_WINDOW and is_shape_error(error):
            probed = _outside_offsets_probed(ctx, case)
            if probed is not None:
                return Outcome(name, ERROR, f"{_raised(error)} {probed[1]}", probed[0], confidence=IS)
        return explained_crash(name, error, found)
    expected = twin.ref.backward(g)
    # The known mistakes and telling subsets are computed only if an answer is wrong.
    variants = misconceptions.Lazy(
        lambda: _with_input_proven(
            misconceptions.backward_variants(
                ctx.component,
                case,
                twin,
                x,
                g,
                lambda: misconceptions.saved_state(ctx.session, twin.handle),
                as_array(forward_out),
            ),
            _flatten_order_probed(ctx, case, x, g, as_array(actual)),
        )
    )
    subsets = misconceptions.Lazy(
        lambda: misconceptions.backward_subsets(ctx.component, case, twin, x, g, as_array(forward_out))
    )
    factors = misconceptions.factors(ctx.component, case)
    # Rounding scales with the terms grad_x is made of, g times a local derivative, not with
    # grad_x itself: softmax's y * (g - sum(g * y)) cancels to ~1e-16 in a saturated row.
    outcomes = [
        judge(
            name,
            actual,
            expected,
            "the input gradient",
            batch=batch_reduced(ctx.component, x),
            variants=misconceptions.Lazy(lambda: variants.get("input", {})),
            subsets=misconceptions.Lazy(lambda: subsets.get("input", {})),
            factors=factors,
            shapes=misconceptions.Lazy(lambda: misconceptions.shapes(ctx.component, case, "input")),
            scale=float(np.max(np.abs(g))),
            related={"the upstream gradient grad_y": g, "the input x": x, "the output y": y},
        )
    ]
    if not outcomes[0].passed and not outcomes[0].misconception:
        probed = _stride_probed(ctx, case, twin, x, g, as_array(actual))
        if probed is not None:
            outcomes[0] = failed(name, f"{outcomes[0].feedback} {probed[1]}", probed[0], confidence=IS)
    if outcomes[0].misconception == window_mistakes.POSITIONS_SKIPPED:
        probed = _position_loops_probed(ctx, case, twin, x, as_array(actual), g)
        if probed is not None:
            outcomes[0] = failed(name, f"{outcomes[0].feedback} {probed[1]}", probed[0], confidence=IS)
    if outcomes[0].misconception == "window-offsets-skipped":
        probed = _offsets_probed(ctx, case, x, g, as_array(actual))
        if probed is not None:
            outcomes[0] = failed(name, f"{outcomes[0].feedback} {probed[1]}", probed[0], confidence=IS)
    in_training = misconceptions.Lazy(lambda: _learned_in_training_only(ctx, case, twin, x, g))
    for param in twin.params:
        outcomes.append(
            judge(
                name,
                ctx.session.get(twin.handle, f"{param}.grad"),
                getattr(twin.ref, param).grad,
                f"the gradient of `{param}`",
                batch=x.shape[0],
                variants=misconceptions.Lazy(
                    lambda param=param: {**variants.get(param, {}), **in_training.get(param, {})}
                ),
                subsets=misconceptions.Lazy(lambda param=param: subsets.get(param, {})),
                factors=factors,
                shapes=misconceptions.Lazy(lambda param=param: misconceptions.shapes(ctx.component, case, param)),
                related={f"`{param}` itself": twin.params[param]},
            )
        )
    for k, param in enumerate(twin.params, start=1):
        penalty = None if outcomes[k].passed or outcomes[k].confidence == IS else _penalty_added(ctx, twin, param)
        if penalty is not None:
            outcomes[k] = failed(
                name, f"{outcomes[k].feedback} Cause: {penalty}.", "regularisation-in-layer", confidence=IS
            )
        if outcomes[k].misconception == "all-zero":
            cause = _skipped_when_switched_off(ctx, case, param, x, g) or _never_written(ctx, case, param, x, g)
            if cause is not None:
                outcomes[k] = failed(name, f"{outcomes[k].feedback} Cause: {cause[1]}.", cause[0], confidence=IS)
    return first_failure(name, outcomes)


def _offsets_probed(
    ctx: Context, case: Case, x: np.ndarray, g: np.ndarray, actual: np.ndarray | None
) -> tuple[str, str] | None:
    """A pool's input gradient that several mistakes leaving window offsets without their gradient give alike on
    this case (a loop one short and a side's range for the other's, a zip, a swapped unravel): the student's layer
    is run once more on a window where they all differ, and the one whose numbers it gives there, and no other
    mistake's, is the cause: ``(tag, sentence)``. None where the probe is right, matches none or several, or raises."""
    component = ctx.component
    if component.formula not in ("max-pool", "avg-pool") or actual is None:
        return None
    geo = window_mistakes.geometry(component, case, x.shape)
    tags = window_mistakes.offsets_reaching(component, x, g, geo, actual)
    if len(tags) < 2:
        return None
    kH, kW = window_mistakes.probe_window(geo)
    stride = window_mistakes.probe_stride(geo)
    probe = Case(f"{case.id}, probed", {"kernel_size": (kH, kW), "stride": stride}, (2, 2, 2 * kH + 1, 2 * kW + 1))
    twin = build_twin(ctx, probe)
    probe_x = safe_input(ctx, probe, twin)
    probe_g = upstream(ctx, probe, twin.ref.forward(probe_x).shape)
    try:
        ctx.session.call(twin.handle, "forward", probe_x)
        got = as_array(ctx.session.call(twin.handle, "backward", probe_g))
    except StudentError as error:
        if isinstance(error, (StudentTimeout, StudentCrash)):
            raise
        return None
    if got is None:
        return None
    found = window_mistakes.probe_verdict(
        component, tags, probe_x, probe_g, window_mistakes.geometry(component, probe, probe_x.shape), got
    )
    if found is None:
        return None
    return found[0], (
        f"Run again with a {kH}x{kW} window and stride {stride}, where these mistakes give different numbers, your "
        f"backward gives exactly what one of them gives, and no other known mistake does. Cause: {found[1]}."
    )


# What of the difference from the right gradient a penalty may leave unexplained (a true one leaves rounding).
_PENALTY_RESIDUAL = 0.1


def _penalty_added(ctx: Context, twin: Any, param: str) -> str | None:
    """A parameter's gradient that is the right one plus a positive multiple of the parameter itself (an L2
    penalty, weight decay) or of its sign (L1), the same multiple for every entry: a regulariser added in the layer.
    Two entries or more: one number always fits one entry. The multiple must explain the difference, not only
    land inside the tolerance: a gradient off by rounding (float32) differs by noise that any small multiple
    leaves as it was."""
    got = as_array(ctx.session.get(twin.handle, f"{param}.grad"))
    right, data = getattr(twin.ref, param).grad, twin.params[param]
    if got is None or got.shape != right.shape or got.size < 2 or not np.isfinite(got).all():
        return None
    extra = got - right
    for term, penalty, written in (
        (data, "an L2 penalty (weight decay)", f"{{c}} * {param}"),
        (np.sign(data), "an L1 penalty", f"{{c}} * sign({param})"),
    ):
        size = float(np.vdot(term, term))
        c = float(np.vdot(extra, term)) / size if size else 0.0
        explained = np.max(np.abs(extra - c * term)) <= _PENALTY_RESIDUAL * np.max(np.abs(extra))
        if c > 0 and explained and allclose(got, right + c * term, rtol=settings.SIMULATION_RTOL, atol=0.0):
            return (
                f"the gradient of `{param}` is the loss's gradient plus {written.format(c=fmt(c))} in every entry: "
                f"{penalty} was added in the layer's backward. backward returns dL/d{param} of the loss alone (what "
                "the gradient check differentiates); a penalty on the weights belongs to the optimizer's weight_decay, "
                "which adds it once per step, where the layer's copy would add it on every backward and apply it to "
                "every layer whether asked for or not"
            )
    return None


def _skipped_when_switched_off(
    ctx: Context, case: Case, param: str, x: np.ndarray, g: np.ndarray
) -> tuple[str, str] | None:
    """A parameter's gradient all zeros in a case that switches an optional part off (bias=False): is it right
    once that part is on? Then the path without it skips the accumulation (an early return, or the line inside
    the branch of the part that is switched off)."""
    off = [k for k, v in case.kwargs.items() if v is False and dict(ctx.component.signature).get(k) is True]
    if len(off) != 1:
        return None
    on = dataclasses.replace(case, kwargs={**case.kwargs, off[0]: True})
    twin = build_twin(ctx, on, "switched-on")
    try:
        ctx.session.call(twin.handle, "forward", x)
        ctx.session.call(twin.handle, "backward", g)
    except StudentError:
        return None
    twin.ref.forward(x)
    twin.ref.backward(g)
    if not agrees(ctx.session.get(twin.handle, f"{param}.grad"), getattr(twin.ref, param).grad):
        return None  # wrong with the part on as well: not the switched-off path alone
    return (
        f"{off[0]}-none",
        f"`{param}.grad` stays zero only when the layer is built with {off[0]}=False: with {off[0]}=True the same "
        f"input and grad_y give the right `{param}` gradient. The path without "
        f"the {off[0]} skips `{param}.grad +=` (an early return in the `{off[0]} is None` branch, or the "
        f"accumulation written inside the branch of the {off[0]}); every parameter that exists collects its "
        f"gradient whether or not there is a {off[0]}",
    )


# What a parameter's .grad holds before the experiment of _never_written: no gradient of the case gives it.
_GRAD_MARKER = 0.5


def _never_written(ctx: Context, case: Case, param: str, x: np.ndarray, g: np.ndarray) -> tuple[str, str] | None:
    """A parameter's gradient all zeros: did backward write into `.grad` at all? On a new instance whose `.grad`
    holds a marker before the same forward and backward, the marker left exactly as it was, and the very same
    array, means that the gradient computed never reached the parameter's array (a zero written over it would
    change it). The marker is read-only, because adding an all-zero gradient in place (`+= dW` of a dW never
    filled) leaves its values as they were too: that write raises, and then nothing is claimed."""
    twin = build_twin(ctx, case, "never-written")
    marker = np.full(np.shape(getattr(twin.ref, param).grad), _GRAD_MARKER)
    try:
        ctx.session.harness("read_only_grad", twin.handle, param, marker)
        ctx.session.call(twin.handle, "forward", x)
        values = as_array(ctx.session.get(twin.handle, f"{param}.data"))
        ctx.session.call(twin.handle, "backward", g)
        got = as_array(ctx.session.get(twin.handle, f"{param}.grad"))
        # Still the read-only marker, not an array rebound to it (`grad = grad + dW` of a zero dW stores).
        untouched = ctx.session.get(twin.handle, f"{param}.grad.flags.writeable") is False
        moved = as_array(ctx.session.get(twin.handle, f"{param}.data"))
    except StudentError:
        return None  # (backward writing into the read-only marker lands here: it does store into .grad)
    if got is None or got.shape != marker.shape or not np.array_equal(got, marker) or not untouched:
        return None
    if values is not None and moved is not None and not np.array_equal(values, moved):
        # The gradient did reach an array: the parameter's values, which backward must leave alone.
        return (
            "data-for-grad",
            f"backward never changes `{param}.grad` but changes `{param}.data`, the parameter's values: the "
            f"gradient was added into `self.{param}.data` where `self.{param}.grad` belongs. backward only "
            "accumulates into .grad; the optimizer's step changes .data",
        )
    if _written_for_more_samples(ctx, case, param, x, g):
        return None  # (a loop over the samples that skips one: backward does store, the claim would mislead)
    return (
        "result-discarded",
        f"backward never changes `{param}.grad`: set to {_GRAD_MARKER} in every entry before the same forward and "
        f"backward, it still holds {_GRAD_MARKER} afterwards. The gradient was computed but never stored into "
        f"`{param}.grad`: `d = self.{param}.grad` then `d = d + ...` builds a new array and rebinds the local name, "
        "leaving the parameter's array as it was (so does a result never assigned, np.add without out=, an "
        f"in-place update of a copy, or a gradient kept under another name such as self.d{param}). Accumulate into "
        f"the parameter's own array in place: `self.{param}.grad += ...`",
    )


def _written_for_more_samples(ctx: Context, case: Case, param: str, x: np.ndarray, g: np.ndarray) -> bool:
    """The marker left as it was on a batch of one, but changed when the batch holds the same sample twice:
    backward does write into `.grad`, only not for every sample (a loop from 1, say), so "never stored" is
    not what the numbers show. Batches of more samples are not retried (the marker unchanged there already says it)."""
    if np.ndim(x) < 1 or np.shape(x)[0] != 1 or np.ndim(g) < 1 or np.shape(g)[0] != 1:
        return False
    twin = build_twin(ctx, case, "never-written-twice")
    marker = np.full(np.shape(getattr(twin.ref, param).grad), _GRAD_MARKER)
    try:
        ctx.session.set(twin.handle, f"{param}.grad", marker.copy())
        ctx.session.call(twin.handle, "forward", np.concatenate([x, x]))
        ctx.session.call(twin.handle, "backward", np.concatenate([g, g]))
        got = as_array(ctx.session.get(twin.handle, f"{param}.grad"))
    except StudentError:
        return False
    return got is not None and got.shape == marker.shape and not np.array_equal(got, marker)


def _learned_in_training_only(ctx: Context, case: Case, twin: Any, x: np.ndarray, g: np.ndarray) -> dict[str, Any]:
    """Per parameter, after an evaluation-mode backward: zeros as the mistake "parameter gradients only in
    training", when the student's module built alike but left in training mode accumulates every parameter's
    gradient right for the same x and grad_y (an experiment: the mode alone decides whether they come)."""
    if case.mode != "eval" or not twin.params:
        return {}
    reference = copy.deepcopy(twin.ref)
    reference.train()
    for param in twin.params:
        getattr(reference, param).grad = np.zeros_like(getattr(reference, param).data)
    reference.forward(x)
    reference.backward(g)
    session = ctx.session
    handle = session.new(ctx.component.name, **case.kwargs)
    for param, value in twin.params.items():
        session.set(handle, f"{param}.data", value)
    for buffer, _ in ctx.component.buffers:
        session.set(handle, buffer, np.asarray(getattr(twin.ref, buffer)).copy())
    try:
        session.call(handle, "forward", x)
        session.call(handle, "backward", g)
    except StudentError:
        return {}
    for param in twin.params:
        got = as_array(session.get(handle, f"{param}.grad"))
        want = getattr(reference, param).grad
        if got is None or got.shape != want.shape or not np.any(want) or not allclose(got, want):
            return {}
    names = ", ".join(f"{param}.grad" for param in twin.params)
    text = (
        f"backward adds the parameter gradients ({names}) only in training mode: after the same forward and "
        "backward in training mode they are right, in evaluation mode they stay zero. The mode changes which "
        "statistics forward normalises with (and so x_hat), not whether the parameters have gradients: backward "
        "accumulates them in either mode (grad_y summed with x_hat, as forward computed it, for the scale; grad_y "
        "summed for the shift)"
    )
    return {
        param: {"train-eval#parameters": (np.zeros_like(getattr(twin.ref, param).grad), text)} for param in twin.params
    }


# ------------------------------------------------------------------------------- gradcheck
def _numerical(values_plus: list[Any], values_minus: list[Any], weights: np.ndarray, step: float) -> np.ndarray:
    plus = np.array([float(np.sum(np.asarray(v, dtype=np.float64) * weights)) for v in values_plus])
    minus = np.array([float(np.sum(np.asarray(v, dtype=np.float64) * weights)) for v in values_minus])
    return (plus - minus) / (2 * step)


def _entries(size: int, rng: np.random.Generator) -> np.ndarray:
    if size <= settings.GRADCHECK_MAX_ENTRIES:
        return np.arange(size)
    return np.sort(rng.choice(size, settings.GRADCHECK_MAX_ENTRIES, replace=False))


@check("gradcheck", "gradient check", MODULES, per_case=True, when=not_random)
def gradient_check(ctx: Context, case: Case) -> Outcome:
    """Backward against central differences of the submission's own forward (no reference)."""
    name = f"gradient check: {case.id}"
    session = ctx.session
    twin = build_twin(ctx, case, "gradcheck")
    x = safe_input(ctx, case, twin, "gradcheck")
    rng = ctx.rng("gradcheck", case.id)
    with promised(lambda: forward_contract(x.shape, twin.ref.forward(x).shape, param_shapes(twin))):
        y = as_array(session.call(twin.handle, "forward", x))
    if y is None:
        return failed(name, "forward returned no array.")
    weights = rng.standard_normal(y.shape)
    try:
        with promised(backward_contract(x.shape, y.shape, param_shapes(twin))):
            analytic_x = session.call(twin.handle, "backward", weights)
    except StudentError as error:
        read_backward_crash(ctx, case, twin, x, y, error)
        raise
    h = settings.GRADCHECK_STEP
    entries = _entries(x.size, rng)
    plus, minus = [], []
    for i in entries:
        xp, xm = x.copy().reshape(-1), x.copy().reshape(-1)
        xp[i] += h
        xm[i] -= h
        plus.append([xp.reshape(x.shape)])
        minus.append([xm.reshape(x.shape)])
    outputs = session.map(twin.handle, "forward", plus + minus)
    f_size = float(np.sum(np.abs(y * weights)))
    tags: list[str] = []  # what an experiment established about a parameter forward ignores
    problems = [
        gradient_agreement(
            "input gradient",
            analytic_x,
            _numerical(outputs[: len(plus)], outputs[len(plus) :], weights, h),
            entries,
            x.shape,
            f_size,
        )
    ]
    for param, value in twin.params.items():
        analytic = session.get(twin.handle, f"{param}.grad")
        p_entries = _entries(value.size, rng)
        requests = []
        for sign in (1, -1):
            for i in p_entries:
                perturbed = value.copy().reshape(-1)
                perturbed[i] += sign * h
                requests.append(
                    {
                        "op": "set",
                        "target": twin.handle,
                        "path": f"{param}.data",
                        "value": perturbed.reshape(value.shape),
                    }
                )
                requests.append({"op": "call", "target": twin.handle, "method": "forward", "args": [x], "kwargs": {}})
        answers = session.request("batch", requests=requests)
        values = []
        for answer in answers[1::2]:
            if "error" in answer:
                return failed(name, f"forward raised {answer['error']['type']}: {answer['error']['message']}")
            values.append(answer["ok"])
        session.set(twin.handle, f"{param}.data", value)
        n = len(p_entries)
        numeric = _numerical(values[:n], values[n:], weights, h)
        problem = gradient_agreement(f"gradient of `{param}`", analytic, numeric, p_entries, value.shape, f_size)
        if problem and not np.any(numeric) and np.any(as_array(analytic) if as_array(analytic) is not None else 0):
            why, tag = _parameter_ignored(ctx, case, param, x)
            problem += f" (forward does not change at all when `{param}.data` is assigned new values. Cause: {why})"
            tags.append(tag)
        problems.append(problem)
    problems = [p for p in problems if p]
    again = [as_array(session.call(twin.handle, "forward", x)) for _ in range(2)] if problems else []
    if problems and not _same(*again):
        # Forward changes with every call (state it updates, e.g. BatchNorm's buffers in eval mode):
        # the differences measure that drift, not a derivative; the rows about that state report it.
        return passed(name)
    if problems:
        text = "; ".join(problems) + ". Backward is not the derivative of forward."
        return failed(name, text, tags[0], confidence="is") if tags else failed(name, text, "gradcheck")
    return passed(name)


def _parameter_ignored(ctx: Context, case: Case, param: str, x: np.ndarray) -> tuple[str, str]:
    """Forward ignores new values of ``param``: is it never used, or used once and kept? Two new
    instances tell, one given other values before its first forward."""
    kept, changed = build_twin(ctx, case, "parameter-probe"), build_twin(ctx, case, "parameter-probe")
    ctx.session.set(changed.handle, f"{param}.data", changed.params[param] + 1.0)
    first = as_array(ctx.session.call(kept.handle, "forward", x))
    other = as_array(ctx.session.call(changed.handle, "forward", x))
    if first is not None and other is not None and first.shape == other.shape and np.array_equal(first, other):
        return f"forward does not use `{param}` at all", "parameter-not-used"
    return (
        f"a new instance does use the values `{param}` has at its first forward, so forward keeps something "
        f"computed from `{param}` at an earlier call (a cached reshaped matrix?); read self.{param}.data at "
        "every forward",
        "parameter-read-once",
    )


# ------------------------------------------------------------------------------- contracts
@check("contracts", "parameter gradients accumulate (+=) across backward calls", MODULES, when=lambda c: bool(c.params))
def gradients_accumulate(ctx: Context) -> Outcome:
    """The second backward adds as much as the first: judged on the submission's own gradients, so
    a wrong gradient costs points in the reference family only, not here too."""
    name = "parameter gradients accumulate (+=) across backward calls"
    # Every case with parameters: a per-channel branch (PReLU) may assign where the shared one adds.
    for case in (c for c in ctx.component.cases if ctx.component.params_for(c.kwargs)):
        twin = build_twin(ctx, case, "accumulate")
        x = safe_input(ctx, case, twin, "accumulate")
        g = upstream(ctx, case, twin.ref.forward(x).shape, "accumulate")
        grads, outputs = [], []
        for _ in range(2):
            outputs.append(as_array(ctx.session.call(twin.handle, "forward", x)))
            ctx.session.call(twin.handle, "backward", g)
            grads.append({p: as_array(ctx.session.get(twin.handle, f"{p}.grad")) for p in twin.params})
        outcomes = []
        for param in twin.params:
            once, twice = grads[0][param], grads[1][param]
            if once is None or twice is None or once.shape != twice.shape:
                continue  # the backward and attribute checks report this
            # (`p.grad += ...` adds in place and keeps the parameter's shape; a grad of another shape
            # was rebound, and whether it still adds up is judged here all the same)
            outcome = judge(
                name,
                twice,
                2 * once,
                f"`{param}.grad` after two backward calls ({case.id})",
                variants={
                    "grad-overwritten": (
                        once,
                        "the gradient was assigned (`=`), not added (`+=`): docs/api.md says backward adds into p.grad"
                        + _rebound_shape(param, once.shape, twin.params[param].shape),
                    )
                },
            )
            outcomes.append(outcome)
        outcome = first_failure(name, outcomes)
        if not outcome.passed and _same(*outputs):
            return outcome
        # (a second forward that differs from the first changed state, e.g. BatchNorm's buffers in
        # eval mode: the gradients differ for that reason, which the rows about that state report)
    return passed(name)


def _rebound_shape(param: str, got: tuple[int, ...], shape: tuple[int, ...]) -> str:
    """Why `param.grad` came back in another shape than the parameter's, when it did."""
    if got == shape:
        return ""
    return (
        f" (which is also why `{param}.grad` has shape {got}, not the parameter's {shape}: `+=` adds into the "
        "array in place and keeps its shape, `=` replaces it)"
    )


@check("contracts", "parameters keep their shape through forward and backward", MODULES, when=lambda c: bool(c.params))
def parameters_keep_their_shape(ctx: Context) -> Outcome:
    """A parameter's data and grad keep one shape, the one docs/api.md gives, whatever forward and backward do:
    the optimizer updates p.data from p.grad in place, and the next forward reads p.data again."""
    name = "parameters keep their shape through forward and backward"
    for case in (c for c in ctx.component.cases if ctx.component.params_for(c.kwargs)):
        twin = build_twin(ctx, case, "parameter-shapes")
        x = safe_input(ctx, case, twin, "parameter-shapes")
        g = upstream(ctx, case, twin.ref.forward(x).shape, "parameter-shapes")
        for method, argument in (("forward", x), ("backward", g)):
            try:
                ctx.session.call(twin.handle, method, argument)
            except StudentError as error:
                if error.not_implemented or isinstance(error, (StudentTimeout, StudentCrash)):
                    raise  # a stub, a timeout or a dead worker: the runner's to report, never a pass
                break  # (an exception is the other rows' to explain)
            for param, value in twin.params.items():
                data = as_array(ctx.session.get(twin.handle, f"{param}.data"))
                if data is not None and data.shape != value.shape:
                    return failed(
                        name,
                        f"{case.id}: after {method}, `{param}.data` has shape {data.shape}; it was {value.shape} at "
                        f"construction, the shape docs/api.md gives and the shape of `{param}.grad`. Cause: {method} "
                        f"stored an array of another shape back into the parameter (`self.{param}.data = "
                        "...reshape(...)`, [None] or .T, to broadcast it): keep the reshaped array in a local variable "
                        "or an attribute of your own. A parameter's data and grad keep one shape: the optimizer "
                        "updates p.data from p.grad in place (p.data -= lr * p.grad), and the next forward reads "
                        "p.data again",
                        "parameter-reshaped",
                        confidence="is",
                    )
    return passed(name)


def _same(first: np.ndarray | None, second: np.ndarray | None) -> bool:
    """Two forwards on one input gave one output (None: nothing to compare, so yes)."""
    if first is None or second is None or first.shape != second.shape:
        return True
    return agrees(second, first)


@check(
    "contracts",
    "backward after a forward in eval mode",
    MODULES,
    when=lambda c: not c.random and not c.buffers,  # (dropout and running statistics: stateful.py's rows)
)
def backward_after_eval_forward(ctx: Context) -> Outcome:
    """docs/api.md: backward returns dL/dx for the input of the last forward, in eval mode too. Judged on the
    submission's own gradients: after a training forward on one input, eval() and a forward on another, backward
    must give what a new instance in eval mode gives after that second forward alone."""
    name = "backward after a forward in eval mode"
    case = next((c for c in ctx.component.cases if c.mode != "eval"), None)
    if case is None:
        return passed(name)
    probe = build_twin(ctx, case, "eval-backward")
    earlier, last = safe_input(ctx, case, probe, "eval-backward-train"), safe_input(ctx, case, probe, "eval-backward")
    g = upstream(ctx, case, probe.ref.forward(last).shape, "eval-backward")

    def gradients(inputs: tuple[np.ndarray, ...]) -> dict[str, np.ndarray | None]:
        twin = build_twin(ctx, case, "eval-backward")  # the same parameters every time
        *before, x = inputs
        for value in before:
            ctx.session.call(twin.handle, "forward", value)
        ctx.session.call(twin.handle, "eval")
        with during(EVAL_MODE):
            ctx.session.call(twin.handle, "forward", x)
            grad_x = as_array(ctx.session.call(twin.handle, "backward", g))
        return {"input": grad_x} | {p: as_array(ctx.session.get(twin.handle, f"{p}.grad")) for p in twin.params}

    alone = gradients((last,))  # a crash here is reported as it is (a forward that saves nothing in eval mode)
    after = gradients((earlier, last))
    stale_run = misconceptions.Lazy(lambda: gradients((earlier,)))  # backward after the training forward: one run
    outcomes = []
    for quantity, right in alone.items():
        if right is None:
            continue
        what = "the input gradient" if quantity == "input" else f"the gradient of `{quantity}`"
        stale = misconceptions.Lazy(lambda quantity=quantity: {"saved-none": (stale_run[quantity], _STALE)})
        outcomes.append(
            judge(
                name,
                after[quantity],
                right,
                f"{what} after a training forward, eval() and a forward "
                "on another input (compared with your own backward after that forward alone)",
                variants=stale,
            )
        )
    outcome = first_failure(name, outcomes)
    return outcome if not outcome.passed else _parameters_learn_in_eval(ctx, case, name, last, g, alone)


_EVAL_PARAMETERS = (
    "backward accumulates the parameter gradients ({names}) only in training mode ('parameters only learn in "
    "training'): after the same forward and backward in training mode they are right, in eval mode they stay "
    "zero. The mode says how forward behaves (Dropout, BatchNorm's statistics), not whether backward computes "
    "gradients: docs/api.md's backward adds every parameter's gradient whatever the mode (a frozen or evaluated "
    "network simply never takes an optimizer step)"
)


def _parameters_learn_in_eval(
    ctx: Context, case: Case, name: str, x: np.ndarray, g: np.ndarray, in_eval: dict[str, np.ndarray | None]
) -> Outcome:
    """A layer without running statistics or randomness computes the same in both modes, so its parameter
    gradients after an eval-mode forward and backward are the training-mode ones. Judged only where the
    submission's own training-mode gradients are right: any other wrong gradient is the backward rows' to report."""
    twin = build_twin(ctx, case, "eval-backward")  # the parameters of the eval-mode runs
    if not twin.params:
        return passed(name)
    ctx.session.call(twin.handle, "forward", x)
    ctx.session.call(twin.handle, "backward", g)
    reference = copy.deepcopy(twin.ref)
    for param in twin.params:
        getattr(reference, param).grad = np.zeros_like(getattr(reference, param).data)
    reference.forward(x)
    reference.backward(g)
    wanted = {param: getattr(reference, param).grad for param in twin.params}
    for param, want in wanted.items():
        trained = as_array(ctx.session.get(twin.handle, f"{param}.grad"))
        if trained is None or not agrees(trained, want):
            return passed(name)  # wrong in training mode too: not a matter of the mode
    text = _EVAL_PARAMETERS.format(names=", ".join(f"{param}.grad" for param in wanted))
    return first_failure(
        name,
        [
            judge(
                name,
                in_eval.get(param),
                want,
                f"the gradient of `{param}` after eval(), forward and backward (right in training mode)",
                batch=x.shape[0],
                variants={"train-eval#parameters": (np.zeros_like(want), text)},
            )
            for param, want in wanted.items()
        ],
    )


_STALE = (
    "backward used the input of the earlier forward in training mode: forward saves what backward needs only in "
    "training mode, so after a forward in eval mode backward reads what the last training forward left. docs/api.md: "
    "backward returns dL/dx for the input of the last forward, whatever the mode (gradients in eval mode are what "
    "saliency maps and input attacks use); save it at every forward"
)


@check("contracts", "forward and backward do not modify their arguments", MODULES)
def inputs_not_modified(ctx: Context) -> Outcome:
    name = "forward and backward do not modify their arguments"
    session = ctx.session
    problems = []
    for case in ctx.component.cases[:2]:
        twin = build_twin(ctx, case, "inplace")
        x = safe_input(ctx, case, twin, "inplace")
        g = upstream(ctx, case, twin.ref.forward(x).shape, "inplace")
        x_box, g_box = session.harness("array_box", x), session.harness("array_box", g)
        session.call_unboxed(twin.handle, "forward", x_box)
        session.call_unboxed(twin.handle, "backward", g_box)
        if not np.array_equal(session.get(x_box, "value"), x):
            problems.append(f"forward modified its input x in place ({case.id})")
        if not np.array_equal(session.get(g_box, "value"), g):
            problems.append(f"backward modified grad_y in place ({case.id})")
    if problems:
        return failed(
            name,
            "; ".join(problems) + ". Cause: an in-place operation on an argument; compute into new arrays "
            "(e.g. `y = x * mask`, not `x *= mask`).",
            "modifies-input",
            confidence="is",
        )
    return passed(name)


@check("contracts", "every forward returns a new array: an earlier output is left unchanged", MODULES)
def forward_returns_new_array(ctx: Context) -> Outcome:
    """Two forwards of one instance on inputs of one shape, the first output kept in the worker (as a network
    keeps a layer's output while the layer runs again: a layer shared by two branches, a training output kept
    while validating): the second forward must not change it. Judged on the submission's own outputs alone, so
    a wrong value costs points in the reference rows only."""
    name = "every forward returns a new array: an earlier output is left unchanged"
    case = ctx.component.cases[0]
    twin = build_twin(ctx, case, "new-output")
    keeper = ctx.session.harness("method_keeper", twin.handle, "forward")
    first, second = (
        as_array(ctx.session.call(keeper, None, safe_input(ctx, case, twin, f"new-output-{k}"))) for k in range(2)
    )
    now = as_array(ctx.session.call(keeper, "first"))
    if first is None or now is None or second is None or now.shape != first.shape or first.dtype.kind != "f":
        return passed(name)  # no array to keep: the shape and value rows judge what came
    index = first_change(first, now)
    if index is None:
        return passed(name)
    seen = (
        f"forward on an input of shape {case.input_shape} returned an array, and a second forward of the same "
        f"instance, on another input of that shape, changed it: at index {index} it held {fmt(first[index])} "
        f"and now holds {fmt(now[index])}"
    )
    if not (now.shape == second.shape and np.array_equal(now, second, equal_nan=True)):
        return failed(name, f"{seen}. forward returns a new array at every call, which no later call touches.")
    same = " (both forwards returned the same array object)" if ctx.session.call(keeper, "same") else ""
    return failed(
        name,
        f"{seen}, the second forward's output{same}. Cause: forward writes its output into an array kept on the "
        "layer (`np.matmul(..., out=self._out)`, `self._y[...] = ...`), reused whenever the batch has the same "
        "shape: every entry is rewritten, but an output the caller kept (a layer used twice in one network, a "
        "training output kept while validating) changes under it. forward returns a new array at every call, "
        "as a PyTorch module returns a new tensor: compute the output into a new array (`y = x @ W.T`, not "
        "`out=` into an attribute).",
        "state-kept-between-calls",
        confidence=IS,
    )


@check("contracts", "train() and eval() set `training` and return the module", MODULES, interface=True)
def train_eval_modes(ctx: Context) -> Outcome:
    name = "train() and eval() set `training` and return the module"
    session = ctx.session
    case = ctx.component.cases[0]
    handle = session.new(ctx.component.name, **case.kwargs)
    problems = []
    if session.get(handle, "training") is not True:
        problems.append("`training` is not True after construction")
    if session.call(handle, "eval") != handle:
        problems.append("eval() does not return the module itself")
    if session.get(handle, "training") is not False:
        problems.append("after eval(), `training` is not False")
    if session.call(handle, "train") != handle:
        problems.append("train() does not return the module itself")
    if session.get(handle, "training") is not True:
        problems.append("after train(), `training` is not True")
    if problems:
        return failed(name, "; ".join(problems) + ".", "train-eval")
    return passed(name)


@check(
    "contracts",
    "forward in eval mode computes what it computes in training mode",
    MODULES,
    when=lambda c: not c.random and not c.buffers,  # (dropout and running statistics: stateful.py's rows)
)
def forward_in_eval_mode(ctx: Context) -> Outcome:
    """A module without randomness or running statistics computes the same function in both modes: judged on
    the first forward of two new instances with the same parameters, one after eval(), on one input. Only where
    the training-mode output is right (a forward wrong in training mode may keep state the grader does not set,
    so two instances need not agree; the forward rows report it): then the mode is the only difference."""
    name = "forward in eval mode computes what it computes in training mode"
    for case in ctx.component.cases:
        if case.mode == "eval":
            continue
        trained = build_twin(ctx, case, "eval-forward")
        x = safe_input(ctx, case, trained, "eval-forward")
        expected = trained.ref.forward(x)
        try:
            in_training = as_array(ctx.session.call(trained.handle, "forward", x))
        except StudentError as error:
            if error.not_implemented or isinstance(error, (StudentTimeout, StudentCrash)):
                raise  # a stub, a timeout or a dead worker: the runner's to report, never a pass
            return passed(name)  # a crash in training mode: the forward rows report it
        if in_training is None or in_training.shape != expected.shape or not agrees(in_training, expected):
            return passed(name)  # wrong in training mode too: not a matter of the mode
        evaluated = build_twin(ctx, case, "eval-forward")  # the same parameters
        ctx.session.call(evaluated.handle, "eval")
        with during(EVAL_MODE):
            actual = ctx.session.call(evaluated.handle, "forward", x)
        outcome = judge(
            name,
            actual,
            expected,
            f"{case.id}: the output after eval() (right in training mode on the same input and parameters)",
            batch=x.shape[0],
            variants=misconceptions.Lazy(lambda twin=evaluated, x=x: _eval_forward_variants(twin, x)),
        )
        if outcome.passed:
            continue
        if outcome.confidence:
            return outcome
        return failed(name, f"{outcome.feedback} Cause: {_EVAL_FORWARD}.", "train-eval", confidence=IS)
    return passed(name)


_EVAL_FORWARD = (
    "forward computes something else in eval mode: a new instance with the same parameters gives the right output "
    "on the same input in training mode, so the difference is the mode. Only Dropout and BatchNorm behave "
    "differently in eval mode; every other module computes the same function in both modes (read "
    "`self.training` only where the layer's definition says so)"
)


def _eval_forward_variants(twin: Any, x: np.ndarray) -> misconceptions.Variants:
    """The eval-mode mistakes a simulation reproduces: the bias added only in training mode."""
    if "bias" not in twin.params:
        return {}
    unbiased = copy.deepcopy(twin.ref)
    unbiased.bias.data = np.zeros_like(unbiased.bias.data)
    return {
        "train-eval#bias": (
            unbiased.forward(x),
            "forward adds the bias only in training mode (`if self.training:` around `+ b`): after eval() the "
            "output is the same layer with the bias left out. The bias is part of the layer's function in both "
            "modes: only Dropout and BatchNorm behave differently in eval mode",
        )
    }


# ------------------------------------------------------------------------------- kinks and ties
# docs/api.md, "Kinks and ties": at a kink the derivative is PyTorch's (the x <= 0 branch); where
# several entries share a maximum, the whole gradient goes to exactly one of them. Every other check keeps
# its inputs away from kinks and ties; these two go there on purpose.
@check(
    "contracts",
    "value and derivative at the kink x = 0 (PyTorch's x <= 0 branch)",
    ("activation",),
    when=lambda c: 0.0 in c.kinks,
)
def kink_at_zero(ctx: Context) -> Outcome:
    name = "value and derivative at the kink x = 0 (PyTorch's x <= 0 branch)"
    for case in ctx.component.cases:
        twin = build_twin(ctx, case, "kink")
        x = module_input(ctx.component, case, ctx.rng("kink", case.id))
        x.flat[::2] = 0.0  # every other entry exactly at the kink
        expected_y = twin.ref.forward(x)
        g = ctx.rng("kink-g", case.id).uniform(0.5, 1.5, x.shape)  # positive: f'(0) = grad_x / g
        expected = twin.ref.backward(g)
        y = as_array(ctx.session.call(twin.handle, "forward", x))
        grad = as_array(ctx.session.call(twin.handle, "backward", g))
        if y is None or grad is None or y.shape != x.shape or grad.shape != x.shape:
            continue  # the shape checks report this
        at = x == 0
        # Just right of 0: what `x >= 0` instead of `x > 0` gives at the kink.
        right = copy.deepcopy(twin.ref)
        right_value = right.forward(np.where(at, 1e-12, x))
        right_side = right.backward(g) / g
        for got, want, side, what in (
            (y, expected_y, right_value, "value"),
            (grad / g, expected / g, right_side, "derivative"),
        ):
            result = compare(got[at], want[at], scale=1.0)
            if result.ok:
                continue
            i = tuple(int(k) for k in np.argwhere(at)[result.index[0]])
            text = f"{case.id}: at x = 0 (index {i}) the {what} is {fmt(result.actual_value)}"
            expected_text = f"expected {fmt(result.expected_value)}, the x <= 0 branch as in PyTorch"
            # The kink is the mistake only if the entries away from it are right: a wrong branch
            # (no slope for x < 0, a derivative that ignores grad_y) is wrong at 0 as well.
            if not agrees(got[~at], want[~at], scale=1.0):
                return failed(
                    name,
                    f"{text}; {expected_text}. It is wrong away from x = 0 too, so the choice at the kink is not "
                    "the mistake: the forward and backward rows show where the formula differs.",
                )
            if agrees(got[at], side[at], scale=1.0):
                from_output = _branch_from_output(ctx, case) if what == "derivative" else ""
                if from_output:
                    return failed(
                        name, f"{text}; {expected_text}. Cause: {from_output}.", "mask-from-output", confidence="is"
                    )
                return failed(
                    name,
                    f"{text}; {expected_text}. Cause: the x > 0 branch was taken at 0 (`x >= 0` where PyTorch "
                    "tests `x > 0`).",
                    f"kink-{what}",
                    confidence="is",
                )
            return failed(
                name,
                f"{text}; {expected_text}. Observed: only the entries exactly at 0 are wrong. Looks like: the value "
                "chosen at the kink differs from PyTorch's x <= 0 branch (the pattern fits; not confirmed).",
                f"kink-{what}",
                confidence="looks like",
            )
    return passed(name)


def _branch_from_output(ctx: Context, case: Case) -> str:
    """The x > 0 branch taken at x = 0: was it read from the sign of the output? An experiment: with the slope of
    the x <= 0 branch made negative, its outputs are positive, and a backward that tests y takes the x > 0 branch
    at every x < 0 too, while forward stays right. The mistake's sentence, or "" when the experiment says no."""
    knob = activation_mistakes.NEGATIVE_BRANCH_SLOPE.get(ctx.component.formula)
    if knob is None:
        return ""
    kind, key = knob
    slope = activation_mistakes.FLIPPED_SLOPE
    kwargs = {**case.kwargs, key: slope} if kind == "argument" else dict(case.kwargs)
    rng = ctx.rng("branch-from-output", case.id)
    x = module_input(ctx.component, case, rng)
    x[np.abs(x) < 1e-2] = 0.5  # away from the kink: the test is about the branch, not the value at 0
    g = rng.uniform(0.5, 1.5, x.shape)
    ref = reference_class(ctx.component.name)(**kwargs)
    try:
        handle = ctx.session.new(ctx.component.name, **kwargs)
        if kind == "parameter":
            getattr(ref, key).data = np.full_like(getattr(ref, key).data, slope)
            ctx.session.set(handle, f"{key}.data", getattr(ref, key).data.copy())
        y = as_array(ctx.session.call(handle, "forward", x))
        grad = as_array(ctx.session.call(handle, "backward", g))
    except StudentError:  # (a module that refuses a negative slope: no evidence either way)
        return ""
    right_y, right = ref.forward(x), ref.backward(g)
    negative = x < 0
    if y is None or grad is None or y.shape != x.shape or grad.shape != x.shape or not negative.any():
        return ""
    if not agrees(y, right_y) or not agrees(grad[~negative], right[~negative]):
        return ""
    if not agrees(grad[negative], g[negative]) or agrees(right[negative], g[negative]):
        return ""
    return activation_mistakes.branch_from_output(f"{'a' if kind == 'parameter' else key} = {slope:g}")


@check(
    "contracts",
    "ties: the gradient of a tied maximum goes to exactly one maximal entry",
    MODULES,
    when=lambda c: c.ties,
)
def ties(ctx: Context) -> Outcome:
    name = "ties: the gradient of a tied maximum goes to exactly one maximal entry"
    tie = _maxout_tie if ctx.component.ties_in == "pieces" else _pool_tie  # ties among affine pieces
    for case in ctx.component.cases:
        problem, tag = tie(ctx, case)
        if problem and tie is _pool_tie and not _right_without_ties(ctx, case):
            continue  # wrong without ties too (`=` where windows overlap...): the backward rows say it
        if problem and tie is _maxout_tie and not _right_without_ties(ctx, case):
            # A gradient that is wrong everywhere is wrong at a tie too: the tie is not the evidence.
            return failed(
                name,
                f"{case.id}: with every piece tied the gradients are wrong, but they are wrong without ties too, "
                "so the tie is not the mistake: the backward rows show where the formula differs.",
            )
        if problem:
            observed = tag in ("maxpool-grad-to-every-max", "tie-gradient-split")  # seen, not guessed
            return failed(name, f"{case.id}: {problem}.", tag, confidence="is" if observed else "")
    return passed(name)


def _right_without_ties(ctx: Context, case: Case) -> bool:
    """Does backward agree with the reference on an input with no ties (pieces, window maxima)?"""
    twin = build_twin(ctx, case, "untied")
    x = safe_input(ctx, case, twin, "untied")
    g = upstream(ctx, case, twin.ref.forward(x).shape, "untied")
    ctx.session.call(twin.handle, "forward", x)
    if not agrees(ctx.session.call(twin.handle, "backward", g), twin.ref.backward(g)):
        return False
    return all(
        agrees(ctx.session.get(twin.handle, f"{param}.grad"), getattr(twin.ref, param).grad) for param in twin.params
    )


def _pool_tie(ctx: Context, case: Case) -> tuple[str, str]:
    rng = ctx.rng("ties", case.id)
    x = rng.integers(0, 3, case.input_shape).astype(np.float64)  # small integers: many ties
    handle = ctx.session.new(ctx.component.name, **case.kwargs)
    y = as_array(ctx.session.call(handle, "forward", x))
    geo = window_mistakes.geometry(ctx.component, case, x.shape)
    kernel, stride = geo.kernel, geo.stride
    if y is None or not np.array_equal(y, window_mistakes.pool_windows(x, kernel, stride).max(axis=-1)):
        return "", ""  # the forward checks report this
    g = rng.uniform(0.5, 1.5, y.shape)  # positive, so nothing cancels
    grad = as_array(ctx.session.call(handle, "backward", g))
    if grad is None or grad.shape != x.shape:
        return "", ""
    (sH, sW), (Ho, Wo) = stride, y.shape[2:]

    def maximal(i: int, j: int) -> np.ndarray:
        """Is the entry at offset (i, j) of each window a maximum of it? (N, C, H', W')"""
        return x[:, :, i : i + sH * (Ho - 1) + 1 : sH, j : j + sW * (Wo - 1) + 1 : sW] == y

    every = window_mistakes.scatter(lambda i, j: np.where(maximal(i, j), g, 0.0), x.shape, geo, stride)
    if not agrees(every.sum(), g.sum()) and agrees(grad, every):
        return (
            "every maximal entry of a tied window received the window's gradient; the maximum is "
            "one entry, so only one of them may (which one is free)",
            "maxpool-grad-to-every-max",
        )
    if not agrees(grad.sum(), g.sum()) or (grad < 0).any():
        return (
            f"the gradient entries sum to {fmt(float(grad.sum()))} for upstream gradients summing "
            f"to {fmt(float(g.sum()))}: each window's gradient must land exactly once",
            "tie-gradient",
        )
    some_max = window_mistakes.scatter(maximal, x.shape, geo, stride)
    if (grad[some_max == 0] != 0).any():
        return "a gradient went to an entry that is not the maximum of its window", "tie-gradient"
    if sH >= kernel[0] and sW >= kernel[1]:  # disjoint windows: count the receivers of each
        receivers = (window_mistakes.pool_windows(grad, kernel, stride) != 0).sum(axis=-1)
        if (receivers != 1).any():
            return (
                f"a tied window's gradient was shared among {int(receivers.max())} of its maximal "
                "entries; it goes whole to exactly one of them (which one is free)",
                "tie-gradient-split",
            )
    return "", ""


def _maxout_tie(ctx: Context, case: Case) -> tuple[str, str]:
    rng = ctx.rng("ties", case.id)
    k, m, d = case.kwargs.get("pieces", 2), case.kwargs["out_features"], case.kwargs["in_features"]
    w, b = rng.standard_normal((m, d)), rng.standard_normal(m)
    handle = ctx.session.new(ctx.component.name, **case.kwargs)
    ctx.session.set(handle, "weight.data", np.stack([w] * k))  # every piece the same: all tie
    ctx.session.set(handle, "bias.data", np.stack([b] * k))
    x = rng.standard_normal(case.input_shape)
    g = rng.standard_normal((x.shape[0], m))
    ctx.session.call(handle, "forward", x)
    grad_x = as_array(ctx.session.call(handle, "backward", g))
    grad_w = as_array(ctx.session.get(handle, "weight.grad"))
    grad_b = as_array(ctx.session.get(handle, "bias.grad"))
    if grad_x is None or grad_w is None or grad_w.shape != (k, m, d):
        return "", ""
    total = grad_w.sum(axis=0)
    if agrees(total, k * (g.T @ x)) or agrees(grad_x, k * (g @ w)):
        return (
            "every one of the tied pieces received grad_y; the maximum is one piece, so only one of "
            "them may (which one is free)",
            "maxout-grad-to-every-max",
        )
    if not agrees(total, g.T @ x) or not agrees(grad_x, g @ w):
        return ("with all pieces tied, the gradients summed over the pieces differ from one piece's", "tie-gradient")
    if x.shape[0] == 1 and grad_b is not None and grad_b.shape == (k, m):  # one sample: count per unit
        receivers = (grad_b != 0).sum(axis=0)
        if (receivers != 1).any():
            return (
                f"a unit's gradient was shared among {int(receivers.max())} tied pieces; it goes whole "
                "to exactly one of them (which one is free)",
                "tie-gradient-split",
            )
    return "", ""
