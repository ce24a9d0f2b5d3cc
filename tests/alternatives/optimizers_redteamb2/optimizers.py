# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders (round 2). The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

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
