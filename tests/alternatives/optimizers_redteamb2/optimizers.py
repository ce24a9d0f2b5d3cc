# ruff: noqa: F811, E402, B905, E731  (the alternatives redefine the reference's names, after its code)
# Correct-but-different implementations found by red-teaming the graders (round 2): the reference
# module first, then each alternative, whose classes and functions replace the reference's
# (later definitions win). Every component here must score full marks.
"""Optimizers: turning gradients into parameter updates.

Plain gradient descent moves every parameter against its gradient, ``p <- p - lr * g``.
Everything else on this page changes *how far* and *in which direction* to move, using
memory of past gradients kept per parameter between calls of ``step()``:

- momentum (SGD) averages directions, so zig-zags cancel and consistent slopes speed up;
- Adagrad, RMSprop and Adadelta divide by a running size of the gradient, giving every
  coordinate its own step size;
- Adam does both, with a bias correction for its zero-initialised averages;
- AdamW separates weight decay from the adaptive step.

The update rules are exactly those of ``torch.optim`` (single parameter group), with the
same names and defaults, so the state of a parameter here is the state PyTorch keeps
(``momentum_buffer``, ``sum``, ``square_avg``, ``exp_avg`` ...). ``step()`` reads ``p.grad``
and never modifies it: weight decay forms a new array ``grad + weight_decay * p``. State is
float64. ``t`` counts the calls of ``step()``, starting at 1 in the first update.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .base import Optimizer, Parameter

__all__ = ["SGD", "Adagrad", "RMSprop", "Adadelta", "Adam", "AdamW"]


def _check_at_least(owner: str, name: str, value: float, low: float = 0.0) -> None:
    """PyTorch's hyper-parameter checks: a ValueError naming the value and the allowed range."""
    if not value >= low:  # also rejects nan
        raise ValueError(f"{owner}: invalid {name} value {value!r} (must be >= {low})")


def _zeros_like(p: Parameter) -> np.ndarray:
    return np.zeros(np.shape(p.data), dtype=np.float64)


def _grad(p: Parameter) -> np.ndarray:
    """``p.grad`` as float64; callers build new arrays from it and never write into it."""
    return np.asarray(p.grad, dtype=np.float64)


class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum, Nesterov momentum and L2 decay.

    State per parameter: ``momentum_buffer`` ``b`` (absent until the first step).

    Update, with ``g = grad + weight_decay * p``:
        without momentum: ``p <- p - lr * g``
        with momentum:    ``b <- g`` at the first step,
                          ``b <- momentum * b + (1 - dampening) * g`` after it;
                          ``d = g + momentum * b`` if ``nesterov`` else ``d = b``;
                          ``p <- p - lr * d``.

    The idea: ``b`` is a velocity. A ball rolling downhill keeps most of its speed
    (``momentum``, typically 0.9) and adds the new slope, so steps along a consistent
    direction grow up to ``1/(1 - momentum)`` times, while gradients that flip sign from step
    to step cancel. Nesterov's variant looks ahead: it applies the gradient as if the
    velocity had already carried the parameters one step further, which corrects overshoot
    earlier. ``dampening`` scales down the new gradient's share (not at the first step, as in
    PyTorch). Weight decay adds ``weight_decay * p`` to the gradient: the gradient of the L2
    penalty ``weight_decay/2 * |p|^2``, which pulls weights towards zero.
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 0.001,
        momentum: float = 0.0,
        dampening: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params)
        _check_at_least("SGD", "learning rate (lr)", lr)
        _check_at_least("SGD", "momentum", momentum)
        _check_at_least("SGD", "weight_decay", weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError(
                "SGD: Nesterov momentum requires a momentum > 0 and zero dampening, "
                f"got momentum={momentum!r}, dampening={dampening!r}"
            )
        self.lr = float(lr)
        self.momentum = float(momentum)
        self.dampening = float(dampening)
        self.nesterov = bool(nesterov)
        self.weight_decay = float(weight_decay)
        self.state: list[dict[str, np.ndarray | None]] = [{"momentum_buffer": None} for _ in self.params]

    def step(self) -> None:
        """Update every parameter from its gradient (see the class docstring)."""
        ### BEGIN SOLUTION
        for p, state in zip(self.params, self.state, strict=True):
            g = _grad(p)
            if self.weight_decay != 0:
                g = g + self.weight_decay * p.data
            if self.momentum != 0:
                buf = state["momentum_buffer"]
                if buf is None:
                    buf = g.copy()  # the first step starts the velocity at the gradient
                else:
                    buf = self.momentum * buf + (1.0 - self.dampening) * g
                state["momentum_buffer"] = buf
                g = g + self.momentum * buf if self.nesterov else buf
            p.data -= self.lr * g
        ### END SOLUTION


class Adagrad(Optimizer):
    """Adagrad: per-coordinate step sizes from the sum of all past squared gradients.

    State per parameter: ``sum`` ``s`` (starts at ``initial_accumulator_value``).

    Update at step ``t``, with ``g = grad + weight_decay * p``:
        ``lr_t = lr / (1 + (t - 1) * lr_decay)``
        ``s <- s + g^2``
        ``p <- p - lr_t * g / (sqrt(s) + eps)``

    The idea: coordinates with large or frequent gradients get small steps, rare ones
    (a seldom-seen word's embedding) keep large steps. Because ``s`` only grows, every
    step size shrinks roughly like ``1/sqrt(t)``: good for convex problems, but on long
    non-convex runs the learning can stop too early, the problem RMSprop fixes.
    ``eps`` keeps the division finite while ``s`` is still 0.
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 0.01,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
    ) -> None:
        super().__init__(params)
        _check_at_least("Adagrad", "learning rate (lr)", lr)
        _check_at_least("Adagrad", "lr_decay", lr_decay)
        _check_at_least("Adagrad", "weight_decay", weight_decay)
        _check_at_least("Adagrad", "initial_accumulator_value", initial_accumulator_value)
        _check_at_least("Adagrad", "epsilon (eps)", eps)
        self.lr = float(lr)
        self.lr_decay = float(lr_decay)
        self.weight_decay = float(weight_decay)
        self.initial_accumulator_value = float(initial_accumulator_value)
        self.eps = float(eps)
        self.t = 0  # number of updates so far
        self.state = [
            {"sum": np.full(np.shape(p.data), self.initial_accumulator_value, dtype=np.float64)} for p in self.params
        ]

    def step(self) -> None:
        """Update every parameter from its gradient (see the class docstring)."""
        ### BEGIN SOLUTION
        self.t += 1
        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)
        for p, state in zip(self.params, self.state, strict=True):
            g = _grad(p)
            if self.weight_decay != 0:
                g = g + self.weight_decay * p.data
            state["sum"] = state["sum"] + g * g
            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))
        ### END SOLUTION


class RMSprop(Optimizer):
    """RMSprop: divide by a leaky (exponential) average of squared gradients.

    State per parameter: ``square_avg`` ``v`` (zeros); ``grad_avg`` ``m`` (zeros, used when
    ``centered``); ``momentum_buffer`` ``b`` (zeros, used when ``momentum > 0``).

    Update, with ``g = grad + weight_decay * p``:
        ``v <- alpha * v + (1 - alpha) * g^2``
        ``centered``: ``m <- alpha * m + (1 - alpha) * g`` and ``avg = sqrt(v - m^2) + eps``;
        otherwise ``avg = sqrt(v) + eps``
        ``momentum > 0``: ``b <- momentum * b + g / avg`` and ``p <- p - lr * b``;
        otherwise ``p <- p - lr * g / avg``.

    The idea: Adagrad's sum never forgets; a leaky average with ``alpha = 0.99`` remembers
    about the last 100 steps, so the step size adapts to the current region of the loss
    surface instead of shrinking forever. ``centered`` divides by an estimate of the
    gradient's standard deviation instead of its root mean square. There is no bias
    correction: ``v`` starts at 0, so the first step is ``1/sqrt(1 - alpha) = 10`` times
    ``lr`` per coordinate (Adam corrects exactly this).
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 0.01,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ) -> None:
        super().__init__(params)
        _check_at_least("RMSprop", "learning rate (lr)", lr)
        _check_at_least("RMSprop", "epsilon (eps)", eps)
        _check_at_least("RMSprop", "momentum", momentum)
        _check_at_least("RMSprop", "weight_decay", weight_decay)
        _check_at_least("RMSprop", "alpha", alpha)
        self.lr = float(lr)
        self.alpha = float(alpha)
        self.eps = float(eps)
        self.weight_decay = float(weight_decay)
        self.momentum = float(momentum)
        self.centered = bool(centered)
        self.state = [
            {"square_avg": _zeros_like(p), "grad_avg": _zeros_like(p), "momentum_buffer": _zeros_like(p)}
            for p in self.params
        ]

    def step(self) -> None:
        """Update every parameter from its gradient (see the class docstring)."""
        ### BEGIN SOLUTION
        a = self.alpha
        for p, state in zip(self.params, self.state, strict=True):
            g = _grad(p)
            if self.weight_decay != 0:
                g = g + self.weight_decay * p.data
            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g
            if self.centered:
                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g
                # v >= m^2 in exact arithmetic; clamp round-off so sqrt never sees a negative
                # (PyTorch would produce nan there).
                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)
                avg = np.sqrt(variance) + self.eps
            else:
                avg = np.sqrt(state["square_avg"]) + self.eps
            if self.momentum > 0:
                state["momentum_buffer"] = self.momentum * state["momentum_buffer"] + g / avg
                p.data -= self.lr * state["momentum_buffer"]
            else:
                p.data -= self.lr * (g / avg)
        ### END SOLUTION


class Adadelta(Optimizer):
    """Adadelta: RMSprop whose step size is itself a running average of past steps.

    State per parameter: ``square_avg`` ``v`` and ``acc_delta`` ``u`` (zeros).

    Update, with ``g = grad + weight_decay * p``:
        ``v <- rho * v + (1 - rho) * g^2``
        ``delta = sqrt(u + eps) / sqrt(v + eps) * g``
        ``u <- rho * u + (1 - rho) * delta^2``
        ``p <- p - lr * delta``

    The idea: the ratio ``RMS(past steps) / RMS(gradients)`` has the units of the parameter
    (a Newton-like correction), so the method needs no learning rate in principle; PyTorch
    keeps ``lr = 1.0`` as an overall scale. ``eps`` starts the process: with ``u = 0`` the
    first steps have size about ``sqrt(eps) / RMS(g)``.
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params)
        _check_at_least("Adadelta", "learning rate (lr)", lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Adadelta: invalid rho value {rho!r} (must be in [0, 1])")
        _check_at_least("Adadelta", "epsilon (eps)", eps)
        _check_at_least("Adadelta", "weight_decay", weight_decay)
        self.lr = float(lr)
        self.rho = float(rho)
        self.eps = float(eps)
        self.weight_decay = float(weight_decay)
        self.state = [{"square_avg": _zeros_like(p), "acc_delta": _zeros_like(p)} for p in self.params]

    def step(self) -> None:
        """Update every parameter from its gradient (see the class docstring)."""
        ### BEGIN SOLUTION
        rho = self.rho
        for p, state in zip(self.params, self.state, strict=True):
            g = _grad(p)
            if self.weight_decay != 0:
                g = g + self.weight_decay * p.data
            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * g
            std = np.sqrt(state["square_avg"] + self.eps)
            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g
            state["acc_delta"] = rho * state["acc_delta"] + (1.0 - rho) * delta * delta
            p.data -= self.lr * delta
        ### END SOLUTION


class Adam(Optimizer):
    """Adam: momentum and RMSprop together, with bias-corrected averages.

    State per parameter: ``exp_avg`` ``m``, ``exp_avg_sq`` ``v`` and, with ``amsgrad``,
    ``max_exp_avg_sq`` ``v_max`` (all zeros).

    Update at step ``t``, with ``g = grad + weight_decay * p`` (L2 penalty, coupled):
        ``m <- beta1 * m + (1 - beta1) * g``           (first moment: the velocity)
        ``v <- beta2 * v + (1 - beta2) * g^2``         (second moment: the size)
        ``amsgrad``: ``v_max <- max(v_max, v)`` and ``v_max`` replaces ``v`` below
        ``denom = sqrt(v) / sqrt(1 - beta2^t) + eps``
        ``p <- p - (lr / (1 - beta1^t)) * m / denom``

    The idea: ``m`` and ``v`` start at zero, so in the first steps they are biased towards
    zero: after one step ``m = (1 - beta1) g = 0.1 g`` and ``v = 0.001 g^2``. Dividing by
    ``1 - beta^t`` removes exactly this bias (the weights of an exponential average started
    at zero sum to ``1 - beta^t``), so ``m/(1-beta1^t)`` estimates the mean gradient and
    the first step has size about ``lr`` per coordinate whatever the gradient's scale.
    Without the correction the first step would be ``0.1/sqrt(0.001) ~ 3.2`` times too
    large. ``amsgrad`` never lets the denominator shrink, which restores convergence
    guarantees. The order of operations is PyTorch's, to match it to round-off.
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params)
        name = type(self).__name__
        _check_at_least(name, "learning rate (lr)", lr)
        _check_at_least(name, "epsilon (eps)", eps)
        if len(betas) != 2:
            raise ValueError(f"{name}: betas must be a pair (beta1, beta2), got {betas!r}")
        for index, beta in enumerate(betas):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"{name}: invalid beta parameter at index {index}: {beta!r} (must be in [0, 1))")
        _check_at_least(name, "weight_decay", weight_decay)
        self.lr = float(lr)
        self.betas = (float(betas[0]), float(betas[1]))
        self.eps = float(eps)
        self.weight_decay = float(weight_decay)
        self.amsgrad = bool(amsgrad)
        self.t = 0  # number of updates so far
        self.state = [
            {"exp_avg": _zeros_like(p), "exp_avg_sq": _zeros_like(p), "max_exp_avg_sq": _zeros_like(p)}
            for p in self.params
        ]

    def _decay(self, p: Parameter, g: np.ndarray) -> np.ndarray:
        """Apply weight decay for parameter ``p``; return the gradient Adam's step will use.

        Adam: the L2 penalty's gradient joins the gradient, ``g + weight_decay * p``.
        """
        ### BEGIN SOLUTION
        return g + self.weight_decay * p.data
        ### END SOLUTION

    def step(self) -> None:
        """Update every parameter from its gradient (see the class docstring)."""
        ### BEGIN SOLUTION
        beta1, beta2 = self.betas
        self.t += 1
        bias_correction1 = 1.0 - beta1**self.t
        bias_correction2 = 1.0 - beta2**self.t
        step_size = self.lr / bias_correction1
        bias_correction2_sqrt = bias_correction2**0.5
        for p, state in zip(self.params, self.state, strict=True):
            g = _grad(p)
            if self.weight_decay != 0:
                g = self._decay(p, g)
            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g
            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g
            v = state["exp_avg_sq"]
            if self.amsgrad:
                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)
                v = state["max_exp_avg_sq"]
            denom = np.sqrt(v) / bias_correction2_sqrt + self.eps
            p.data -= step_size * (state["exp_avg"] / denom)
        ### END SOLUTION


class AdamW(Adam):
    """AdamW: Adam with decoupled weight decay.

    Same state and update as ``Adam`` except the decay: before the Adam step,
    ``p <- p * (1 - lr * weight_decay)``, and the gradient is left alone (default
    ``weight_decay = 0.01``).

    The idea: in Adam an L2 term ``weight_decay * p`` added to the gradient is divided by
    ``sqrt(v)`` like the rest, so weights with large gradients are barely decayed and the
    regularisation depends on the gradient's history. Decoupling shrinks every weight by
    the same factor per step, as weight decay was meant to do; it regularises better and
    makes ``lr`` and ``weight_decay`` easier to tune separately (Loshchilov & Hutter, 2019).
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.01,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)

    def _decay(self, p: Parameter, g: np.ndarray) -> np.ndarray:
        """AdamW: shrink ``p`` itself by ``1 - lr * weight_decay``; the gradient is unchanged."""
        ### BEGIN SOLUTION
        p.data *= 1.0 - self.lr * self.weight_decay
        return g
        ### END SOLUTION


# ---- correct alternative (opt_adam_pkeyed) ----
# MODULE: optimizers
# COMPONENTS: Adam
# Adam with its state in a plain dict keyed by the Parameter objects (as torch.optim), created
# lazily at a parameter's first step, a per-parameter step count stored as a float (torch keeps
# `step` as a float tensor), the bias corrections computed per parameter, p.grad read once.
import math


class Adam(Optimizer):
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
        super().__init__(params)
        self.lr, self.betas, self.eps = lr, tuple(betas), eps
        self.weight_decay, self.amsgrad = weight_decay, amsgrad
        self.state = {}

    def step(self):
        b1, b2 = self.betas
        for p in self.params:
            grad = p.grad
            if grad is None:
                continue
            grad = np.asarray(grad, dtype=np.float64)
            if self.weight_decay != 0:
                grad = grad + self.weight_decay * p.data
            st = self.state.get(p)
            if st is None:
                st = self.state[p] = {"step": 0.0, "exp_avg": np.zeros_like(p.data, dtype=np.float64),
                                      "exp_avg_sq": np.zeros_like(p.data, dtype=np.float64)}
                if self.amsgrad:
                    st["max_exp_avg_sq"] = np.zeros_like(p.data, dtype=np.float64)
            st["step"] += 1.0
            t = st["step"]
            st["exp_avg"] = st["exp_avg"] + (1 - b1) * (grad - st["exp_avg"])  # torch's lerp
            st["exp_avg_sq"] = b2 * st["exp_avg_sq"] + (1 - b2) * grad * grad
            bc1 = 1 - b1**t
            bc2 = 1 - b2**t
            v = st["exp_avg_sq"]
            if self.amsgrad:
                st["max_exp_avg_sq"] = np.maximum(st["max_exp_avg_sq"], v)
                v = st["max_exp_avg_sq"]
            denom = np.sqrt(v) / math.sqrt(bc2) + self.eps
            p.data = p.data - (self.lr / bc1) * st["exp_avg"] / denom


# ---- correct alternative (opt_adamw_weakkey) ----
# MODULE: optimizers
# COMPONENTS: AdamW
# AdamW with per-parameter state in a weakref.WeakKeyDictionary keyed by the parameter objects
# (state dies with its parameter), lazily created; bias corrections from a per-parameter step;
# the decoupled decay first, then the Adam step, both in place.
import math
import weakref as _weakref


class AdamW(Optimizer):
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, amsgrad=False):
        super().__init__(params)
        self.lr, self.betas, self.eps, self.weight_decay, self.amsgrad = lr, betas, eps, weight_decay, amsgrad
        self.state = _weakref.WeakKeyDictionary()

    def step(self):
        b1, b2 = self.betas
        for p in self.params:
            s = self.state.setdefault(p, {"t": 0, "m": np.zeros(np.shape(p.data)), "v": np.zeros(np.shape(p.data)),
                                          "vmax": np.zeros(np.shape(p.data))})
            g = np.array(p.grad, dtype=np.float64)
            s["t"] += 1
            p.data *= 1 - self.lr * self.weight_decay
            s["m"] *= b1
            s["m"] += (1 - b1) * g
            s["v"] *= b2
            s["v"] += (1 - b2) * g * g
            v = s["v"]
            if self.amsgrad:
                np.maximum(s["vmax"], v, out=s["vmax"])
                v = s["vmax"]
            denom = np.sqrt(v) / math.sqrt(1 - b2 ** s["t"]) + self.eps
            p.data -= (self.lr / (1 - b1 ** s["t"])) * s["m"] / denom


# ---- correct alternative (opt_sgd_torchstate) ----
# MODULE: optimizers
# COMPONENTS: SGD
# SGD as torch.optim writes it: param_groups (one dict of hyper-parameters) and a
# collections.defaultdict(dict) `state` keyed by the Parameter objects themselves; the
# momentum buffer created lazily as a copy of the first gradient; zero_grad assigns new
# arrays (np.zeros_like of the gradient); no base class.
from collections import defaultdict as _defaultdict


class SGD:
    def __init__(self, params, lr=0.001, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):
        params = list(params)
        if not params:
            raise ValueError("optimizer got an empty parameter list")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        self.defaults = dict(lr=lr, momentum=momentum, dampening=dampening, nesterov=nesterov,
                             weight_decay=weight_decay)
        self.param_groups = [dict(self.defaults, params=params)]
        self.state = _defaultdict(dict)

    def zero_grad(self):
        for group in self.param_groups:
            for p in group["params"]:
                p.grad = np.zeros_like(p.grad, dtype=np.float64)

    def step(self):
        for group in self.param_groups:
            lr, mom, damp = group["lr"], group["momentum"], group["dampening"]
            for p in group["params"]:
                d_p = np.array(p.grad, dtype=np.float64)  # read once, a private copy
                if group["weight_decay"]:
                    d_p = d_p + group["weight_decay"] * p.data
                if mom:
                    state = self.state[p]
                    if "momentum_buffer" not in state:
                        buf = state["momentum_buffer"] = d_p.copy()
                    else:
                        buf = state["momentum_buffer"]
                        buf *= mom
                        buf += (1 - damp) * d_p
                    d_p = d_p + mom * buf if group["nesterov"] else buf
                p.data = p.data - lr * d_p
