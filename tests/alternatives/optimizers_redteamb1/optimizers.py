# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders (round 2). The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

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
