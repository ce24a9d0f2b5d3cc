"""Inputs and twin objects: the same component built in the submission and in the reference.

Every comparison starts the same way: construct the component on both sides with the
case's arguments, overwrite the parameters (and BatchNorm's buffers) with the same seeded
values, put both in the case's mode, and draw an input that keeps clear of kinks and ties.
How each is drawn is a field of the component's entry (``param_draws``, ``buffers``,
``kinks``, ``kink_params``, ``ties``, ``ties_in``, ``target``, ``margin_param``).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import numpy as np
from nnlab.exercises.components import Case, Component, Draw
from nnlab.graders import settings

from ..catalogue import Context
from ..strategies import off_kinks, untied


def reference_class(name: str) -> Any:
    module_name, _, attr = name.partition(".")
    return getattr(importlib.import_module(f"nnlab.reference.{module_name}"), attr)


def draw(spec: Draw, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    if spec.distribution == "uniform":
        return rng.uniform(spec.low, spec.high, shape)
    return spec.mean + spec.std * rng.standard_normal(shape)


def parameter_values(
    component: Component, name: str, shape: tuple[int, ...], rng: np.random.Generator, case: Case | None = None
) -> np.ndarray:
    """Seeded parameter values in the range a trained network would have (the entry's ``param_draws``,
    or the case's own where it gives them: PReLU's slopes above 1)."""
    draws = {**dict(component.param_draws), **dict(case.param_draws if case is not None else ())}
    return draw(draws.get(name, Draw()), shape, rng)


def kinks_for(component: Component, case: Case) -> tuple[float, ...]:
    """Where the case's derivative jumps: ``kwargs[a] / kwargs[b]`` for ``kink_params`` (a, b), else ``kinks``."""
    if component.kink_params:
        defaults = dict(component.signature)
        a, b = (case.kwargs.get(p, defaults[p]) for p in component.kink_params)
        return (a / b,)
    return component.kinks


def module_input(
    component: Component, case: Case, rng: np.random.Generator, shape: tuple[int, ...] | None = None
) -> np.ndarray:
    x = case.scale * rng.standard_normal(shape or case.input_shape)
    if case.inputs == "after-relu":  # what a layer after a ReLU receives: about half the entries exactly 0
        return np.maximum(x, 0.0)
    if component.ties and component.ties_in == "input":
        x = case.scale * untied(x)
    kinks = kinks_for(component, case)
    return off_kinks(x, kinks, settings.KINK_MARGIN * max(1.0, case.scale)) if kinks else x


@dataclass
class Twin:
    """A component built twice: ``handle`` in the submission, ``ref`` in the reference."""

    handle: Any
    ref: Any
    params: dict[str, np.ndarray]


def build_twin(ctx: Context, case: Case, salt: str = "") -> Twin:
    """Construct on both sides with identical parameters, buffers and mode."""
    component = ctx.component
    rng = ctx.rng("params", case.id, salt)
    ref = reference_class(component.name)(**case.kwargs)
    handle = ctx.session.new(component.name, **case.kwargs)
    params: dict[str, np.ndarray] = {}
    for name in component.params_for(case.kwargs):
        value = parameter_values(component, name, getattr(ref, name).data.shape, rng, case)
        getattr(ref, name).data = value.copy()
        ctx.session.set(handle, f"{name}.data", value)
        params[name] = value
    if case.mode == "eval":
        for name, spec in component.buffers:
            setattr(ref, name, draw(spec, np.shape(getattr(ref, name)), rng))
            ctx.session.set(handle, name, getattr(ref, name).copy())
        ref.eval()
        ctx.session.call(handle, "eval")
    return Twin(handle, ref, params)


def safe_input(ctx: Context, case: Case, twin: Twin, salt: str = "") -> np.ndarray:
    """An input for ``case``; with ties among affine pieces (Maxout), one where no two nearly tie."""
    rng = ctx.rng("input", case.id, salt)
    for _ in range(50):
        x = module_input(ctx.component, case, rng)
        if not (ctx.component.ties and ctx.component.ties_in == "pieces"):
            return x
        z = np.einsum("ni,koi->nko", x, twin.params["weight"]) + twin.params["bias"][None]
        top2 = np.sort(z, axis=1)[:, -2:, :]
        if np.min(top2[:, 1] - top2[:, 0]) > 1e-2:
            return x
    return x


def upstream(ctx: Context, case: Case, shape: tuple[int, ...], salt: str = "") -> np.ndarray:
    """A random upstream gradient (ones would hide transposes and mixed-up entries)."""
    return ctx.rng("grad_y", case.id, salt).standard_normal(shape)


def loss_data(component: Component, case: Case, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``(input, target)`` for a loss case, away from its kinks."""
    shape = case.input_shape
    if component.target == "class":
        x = case.scale * rng.standard_normal(shape)
        target = rng.integers(0, shape[1], shape[0])
        if component.margin_param:
            margin = case.kwargs.get(component.margin_param, dict(component.signature)[component.margin_param])
            for _ in range(100):  # keep every x[n,j] - x[n,y] + margin away from 0
                m = x - x[np.arange(shape[0]), target][:, None] + margin
                m[np.arange(shape[0]), target] = 1.0
                if np.min(np.abs(m)) > 1e-2:
                    break
                x = case.scale * rng.standard_normal(shape)
        return x, target
    if component.positive_input:
        x = 1 / (1 + np.exp(-1.5 * rng.standard_normal(shape)))
    else:
        x = case.scale * rng.standard_normal(shape)
    if case.target == "soft":
        target = rng.uniform(0.0, 1.0, shape)
    elif component.target == "binary":
        target = rng.integers(0, 2, shape).astype(np.float64)
    else:
        target = rng.standard_normal(shape)
    return x, target
