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


# ---- correct alternative (opt_adadelta_dataclass) ----
# MODULE: optimizers
# COMPONENTS: Adadelta
# Adadelta as a @dataclass (generated __init__ with the API's names and defaults, eq=True so
# instances are unhashable), state created in __post_init__ as two lists; the update in
# torch's order with std and delta as new arrays and acc_delta updated in place.
import dataclasses as _dc


@_dc.dataclass
class Adadelta:
    params: list
    lr: float = 1.0
    rho: float = 0.9
    eps: float = 1e-6
    weight_decay: float = 0.0
    square_avg: list = _dc.field(init=False, repr=False)
    acc_delta: list = _dc.field(init=False, repr=False)

    def __post_init__(self):
        self.params = list(self.params)
        if not self.params:
            raise ValueError("optimizer got an empty parameter list")
        self.square_avg = [np.zeros(p.data.shape) for p in self.params]
        self.acc_delta = [np.zeros(p.data.shape) for p in self.params]

    def zero_grad(self):
        for p in self.params:
            p.grad[...] = 0.0

    def step(self):
        for p, v, u in zip(self.params, self.square_avg, self.acc_delta):
            g = p.grad + self.weight_decay * p.data if self.weight_decay else p.grad.astype(np.float64)
            v *= self.rho
            v += (1 - self.rho) * g * g
            std = np.sqrt(v + self.eps)
            delta = np.sqrt(u + self.eps) / std * g
            u *= self.rho
            u += (1 - self.rho) * delta * delta
            p.data -= self.lr * delta


# ---- correct alternative (opt_adagrad_lazy) ----
# MODULE: optimizers
# COMPONENTS: Adagrad
# Adagrad with torch's per-parameter state created lazily at the first step ({"step": k,
# "sum": full(initial_accumulator_value)}) in a dict keyed by id(p); clr per parameter from its
# own step count; the update as addcdiv: p -= clr * g / (sqrt(sum) + eps); zero_grad rebinds
# p.grad to np.zeros(p.data.shape).
class Adagrad(Optimizer):
    def __init__(self, params, lr=0.01, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10):
        super().__init__(params)
        self.lr, self.lr_decay, self.weight_decay = lr, lr_decay, weight_decay
        self.initial_accumulator_value, self.eps = initial_accumulator_value, eps
        self._state = {}

    def zero_grad(self):
        for p in self.params:
            p.grad = np.zeros(p.data.shape)

    def _state_for(self, p):
        key = id(p)
        if key not in self._state:
            self._state[key] = {"step": 0, "sum": np.full(p.data.shape, float(self.initial_accumulator_value))}
        return self._state[key]

    def step(self):
        for p in self.params:
            state = self._state_for(p)
            state["step"] += 1
            grad = np.asarray(p.grad, dtype=np.float64)
            if self.weight_decay:
                grad = np.add(grad, self.weight_decay * p.data)
            clr = self.lr / (1 + (state["step"] - 1) * self.lr_decay)
            np.add(state["sum"], grad * grad, out=state["sum"])
            std = np.sqrt(state["sum"]) + self.eps
            p.data = p.data - clr * (grad / std)


# ---- correct alternative (opt_adam_flat) ----
# MODULE: optimizers
# COMPONENTS: Adam
# A "foreach"/flat Adam: the state is one flat vector over all parameters; zero_grad binds every
# p.grad to a view of one zeroed flat gradient buffer (PyTorch's contiguous-grad trick); step
# gathers whatever p.grad currently is (np.concatenate, so rebound gradients are seen), updates
# one flat copy of the data, and assigns each p.data a view of the new flat vector.
class Adam(Optimizer):
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
        super().__init__(params)
        self.lr, (self.b1, self.b2), self.eps = lr, betas, eps
        self.weight_decay, self.amsgrad = weight_decay, amsgrad
        self.shapes = [np.shape(p.data) for p in self.params]
        self.sizes = [int(np.prod(s)) for s in self.shapes]
        self.offsets = np.cumsum([0] + self.sizes)
        total = int(self.offsets[-1])
        self.m, self.v, self.vmax = np.zeros(total), np.zeros(total), np.zeros(total)
        self.grad_buffer = np.zeros(total)
        self.t = 0

    def _split(self, flat):
        return [flat[a:b].reshape(s) for a, b, s in zip(self.offsets[:-1], self.offsets[1:], self.shapes)]

    def zero_grad(self):
        self.grad_buffer[...] = 0.0
        for p, g in zip(self.params, self._split(self.grad_buffer)):
            p.grad = g

    def step(self):
        g = np.concatenate([np.ravel(p.grad).astype(np.float64) for p in self.params])
        w = np.concatenate([np.ravel(p.data).astype(np.float64) for p in self.params])
        if self.weight_decay:
            g = g + self.weight_decay * w
        self.t += 1
        self.m = self.b1 * self.m + (1 - self.b1) * g
        self.v = self.b2 * self.v + (1 - self.b2) * g * g
        v = self.v
        if self.amsgrad:
            self.vmax = np.maximum(self.vmax, self.v)
            v = self.vmax
        denom = np.sqrt(v) / np.sqrt(1 - self.b2**self.t) + self.eps
        w = w - self.lr / (1 - self.b1**self.t) * self.m / denom
        for p, new in zip(self.params, self._split(w)):
            p.data = new


# ---- correct alternative (opt_adamw_slots) ----
# MODULE: optimizers
# COMPONENTS: AdamW
# AdamW with __slots__ (no instance __dict__), no base class; state is a tuple of immutable
# per-parameter records rebuilt at every step (namedtuples replaced, never mutated); the
# parameter shrink done in place before the Adam step (p *= 1 - lr*wd, as torch); zero_grad
# rebinds p.grad via np.zeros(p.data.shape).
from collections import namedtuple as _namedtuple

_Moments = _namedtuple("_Moments", "m v vmax")


class AdamW:
    __slots__ = ("params", "lr", "betas", "eps", "weight_decay", "amsgrad", "t", "moments")

    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, amsgrad=False):
        self.params = tuple(params)
        self.lr, self.betas, self.eps = float(lr), (float(betas[0]), float(betas[1])), float(eps)
        self.weight_decay, self.amsgrad = float(weight_decay), bool(amsgrad)
        self.t = 0
        z = lambda p: np.zeros(np.shape(p.data))
        self.moments = tuple(_Moments(z(p), z(p), z(p)) for p in self.params)

    def zero_grad(self):
        for p in self.params:
            p.grad = np.zeros(np.shape(p.data))

    def step(self):
        self.t += 1
        b1, b2 = self.betas
        c1, c2 = 1.0 - b1**self.t, 1.0 - b2**self.t
        new = []
        for p, (m, v, vmax) in zip(self.params, self.moments):
            g = np.array(p.grad, dtype=np.float64)
            p.data *= 1.0 - self.lr * self.weight_decay
            m = b1 * m + (1.0 - b1) * g
            v = b2 * v + (1.0 - b2) * np.square(g)
            if self.amsgrad:
                vmax = np.maximum(vmax, v)
            denom = np.sqrt(vmax if self.amsgrad else v) / np.sqrt(c2) + self.eps
            p.data -= self.lr / c1 * (m / denom)
            new.append(_Moments(m, v, vmax))
        self.moments = tuple(new)


# ---- correct alternative (opt_rmsprop_torch_order) ----
# MODULE: optimizers
# COMPONENTS: RMSprop
# RMSprop in torch's exact operation order (square_avg.mul_(alpha).addcmul_(g, g, 1-alpha);
# grad_avg.lerp_; avg = square_avg.addcmul(grad_avg, grad_avg, -1).sqrt_().add_(eps);
# buf.mul_(momentum).addcdiv_(g, avg); p.add_(buf, alpha=-lr)), state keyed by position in
# lists created lazily at the first step, zero_grad by np.copyto(p.grad, 0.0).
class RMSprop(Optimizer):
    def __init__(self, params, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False):
        super().__init__(params)
        self.hp = dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
                       centered=centered)
        self.square_avg = self.grad_avg = self.buf = None

    def zero_grad(self):
        for p in self.params:
            np.copyto(p.grad, 0.0)

    def step(self):
        hp = self.hp
        if self.square_avg is None:
            self.square_avg = [np.zeros(p.data.shape) for p in self.params]
            self.grad_avg = [np.zeros(p.data.shape) for p in self.params] if hp["centered"] else None
            self.buf = [np.zeros(p.data.shape) for p in self.params] if hp["momentum"] > 0 else None
        a = hp["alpha"]
        for i, p in enumerate(self.params):
            g = p.grad.astype(np.float64)  # a copy
            if hp["weight_decay"] != 0:
                g += hp["weight_decay"] * p.data
            sq = self.square_avg[i]
            sq *= a
            sq += (1 - a) * g * g
            if hp["centered"]:
                ga = self.grad_avg[i]
                ga += (1 - a) * (g - ga)
                avg = np.sqrt(sq - ga * ga) + hp["eps"]
            else:
                avg = np.sqrt(sq) + hp["eps"]
            if hp["momentum"] > 0:
                b = self.buf[i]
                b *= hp["momentum"]
                b += g / avg
                p.data -= hp["lr"] * b
            else:
                p.data -= hp["lr"] * (g / avg)


# ---- correct alternative (opt_sgd_flat) ----
# MODULE: optimizers
# COMPONENTS: SGD
# A flat SGD: gradients and data gathered into one vector per step, one momentum buffer for
# all parameters (None until the first step), p.data assigned views of the new flat vector;
# zero_grad binds every p.grad to a view of one zeroed flat buffer.
class SGD(Optimizer):
    def __init__(self, params, lr=0.001, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):
        super().__init__(params)
        self.lr, self.momentum, self.dampening = lr, momentum, dampening
        self.nesterov, self.weight_decay = nesterov, weight_decay
        self.shapes = [np.shape(p.data) for p in self.params]
        self.bounds = np.cumsum([0] + [int(np.prod(s)) for s in self.shapes])
        self.buffer = None
        self.flat_grad = np.zeros(int(self.bounds[-1]))

    def _views(self, flat):
        return [flat[a:b].reshape(s) for a, b, s in zip(self.bounds[:-1], self.bounds[1:], self.shapes)]

    def zero_grad(self):
        self.flat_grad.fill(0.0)
        for p, view in zip(self.params, self._views(self.flat_grad)):
            p.grad = view

    def step(self):
        d = np.concatenate([np.asarray(p.grad, dtype=np.float64).ravel() for p in self.params])
        w = np.concatenate([np.asarray(p.data, dtype=np.float64).ravel() for p in self.params])
        if self.weight_decay:
            d = d + self.weight_decay * w
        if self.momentum:
            if self.buffer is None:
                self.buffer = d.copy()
            else:
                self.buffer = self.momentum * self.buffer + (1 - self.dampening) * d
            d = d + self.momentum * self.buffer if self.nesterov else self.buffer
        for p, new in zip(self.params, self._views(w - self.lr * d)):
            p.data = new
