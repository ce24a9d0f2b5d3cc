# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders. The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (opt_adadelta_dict) ----
# MODULE: optimizers
# COMPONENTS: Adadelta
# Adadelta with state in a dict keyed by id(p), RMS helper, update direction as a new array.
class Adadelta(Optimizer):
    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0, **unused):
        super().__init__(params)
        self.lr, self.rho, self.eps, self.weight_decay = lr, rho, eps, weight_decay
        self.state = {id(p): (np.zeros(np.shape(p.data)), np.zeros(np.shape(p.data))) for p in self.params}

    def _rms(self, v):
        return np.sqrt(v + self.eps)

    def step(self):
        r = self.rho
        for p in self.params:
            Eg2, Edx2 = self.state[id(p)]
            g = p.grad + self.weight_decay * p.data
            Eg2 = r * Eg2 + (1 - r) * g**2
            dx = self._rms(Edx2) / self._rms(Eg2) * g
            Edx2 = r * Edx2 + (1 - r) * dx**2
            self.state[id(p)] = (Eg2, Edx2)
            p.data = p.data - self.lr * dx


# ---- correct alternative (opt_adagrad_counter) ----
# MODULE: optimizers
# COMPONENTS: Adagrad
# Adagrad with a step counter derived from itertools.count, the accumulator as a list of
# arrays, the update through np.divide/np.subtract into a new array; betas-free.
import itertools


class Adagrad(Optimizer):
    def __init__(self, params, lr=0.01, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10):
        super().__init__(params)
        self.lr, self.lr_decay, self.weight_decay, self.eps = lr, lr_decay, weight_decay, eps
        self.acc = [np.full(np.shape(p.data), float(initial_accumulator_value)) for p in self.params]
        self._counter = itertools.count(0)

    def step(self):
        done = next(self._counter)  # number of earlier steps: t - 1
        clr = self.lr / (1 + done * self.lr_decay)
        for k, p in enumerate(self.params):
            g = np.add(p.grad, self.weight_decay * p.data)
            self.acc[k] = self.acc[k] + np.square(g)
            p.data = np.subtract(p.data, clr * np.divide(g, np.sqrt(self.acc[k]) + self.eps))


# ---- correct alternative (opt_adam_efficient) ----
# MODULE: optimizers
# COMPONENTS: Adam
# Adam in the paper's "efficient" form with eps rescaled so that it is exactly PyTorch's rule:
# lr_t = lr sqrt(1-b2^t)/(1-b1^t), p -= lr_t m / (sqrt(v) + eps sqrt(1-b2^t)).
# State as a tuple of lists, updated in place with out= arguments.
import math


class Adam(Optimizer):
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False):
        super().__init__(params)
        self.lr, self.betas, self.eps, self.weight_decay, self.amsgrad = lr, betas, eps, weight_decay, amsgrad
        self.m = [np.zeros(np.shape(p.data)) for p in self.params]
        self.v = [np.zeros(np.shape(p.data)) for p in self.params]
        self.vmax = [np.zeros(np.shape(p.data)) for p in self.params]
        self.steps = 0

    def step(self):
        self.steps += 1
        b1, b2 = self.betas
        c1, c2 = 1 - b1**self.steps, 1 - b2**self.steps
        lr_t = self.lr * math.sqrt(c2) / c1
        eps_t = self.eps * math.sqrt(c2)
        for p, m, v, vmax in zip(self.params, self.m, self.v, self.vmax):
            g = p.grad + self.weight_decay * p.data if self.weight_decay else np.asarray(p.grad, dtype=np.float64)
            np.multiply(m, b1, out=m)
            np.add(m, (1 - b1) * g, out=m)
            np.multiply(v, b2, out=v)
            np.add(v, (1 - b2) * g * g, out=v)
            if self.amsgrad:
                np.maximum(vmax, v, out=vmax)
                denom = np.sqrt(vmax)
            else:
                denom = np.sqrt(v)
            p.data = p.data - lr_t * m / (denom + eps_t)


# ---- correct alternative (opt_adamw_standalone) ----
# MODULE: optimizers
# COMPONENTS: AdamW
# AdamW as its own class (no Adam parent), state dict keyed by parameter index with bias-
# corrected m_hat and v_hat, the decoupled decay folded into one expression
# p_new = p - lr*wd*p - lr*m_hat/(sqrt(v_hat)+eps) (PyTorch decays first, with the old p:
# the same thing).
class AdamW:
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, amsgrad=False):
        self.params = list(params)
        self.hp = dict(lr=lr, b1=betas[0], b2=betas[1], eps=eps, wd=weight_decay, ams=amsgrad)
        self.state = {}
        self.t = 0

    def zero_grad(self):
        for p in self.params:
            p.grad.fill(0.0)

    def step(self):
        h = self.hp
        self.t += 1
        for i, p in enumerate(self.params):
            st = self.state.setdefault(i, {"m": 0.0, "v": 0.0, "vmax": 0.0})
            g = np.asarray(p.grad, dtype=np.float64)
            st["m"] = h["b1"] * st["m"] + (1 - h["b1"]) * g
            st["v"] = h["b2"] * st["v"] + (1 - h["b2"]) * g * g
            v = st["v"]
            if h["ams"]:
                st["vmax"] = np.maximum(st["vmax"], v)
                v = st["vmax"]
            m_hat = st["m"] / (1 - h["b1"] ** self.t)
            v_hat = v / (1 - h["b2"] ** self.t)
            p.data = p.data - h["lr"] * h["wd"] * p.data - h["lr"] * m_hat / (np.sqrt(v_hat) + h["eps"])


# ---- correct alternative (opt_rmsprop_inplace) ----
# MODULE: optimizers
# COMPONENTS: RMSprop
# RMSprop with lazily created state (only the buffers a configuration uses), all updates in
# place (np.multiply/np.add/np.sqrt with out=), p.data updated in place, PyTorch's exact
# centered expression sqrt(v - m^2) (no clamp: v >= m^2 holds for running averages).
class RMSprop(Optimizer):
    def __init__(self, params, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False):
        super().__init__(params)
        self.defaults = dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
                             centered=centered)
        self.buffers = [dict() for _ in self.params]

    def step(self):
        d = self.defaults
        a = d["alpha"]
        for p, buf in zip(self.params, self.buffers):
            g = np.array(p.grad, dtype=np.float64)
            if d["weight_decay"]:
                np.add(g, d["weight_decay"] * p.data, out=g)
            sq = buf.setdefault("square_avg", np.zeros_like(g))
            np.multiply(sq, a, out=sq)
            np.add(sq, (1 - a) * g * g, out=sq)
            if d["centered"]:
                ga = buf.setdefault("grad_avg", np.zeros_like(g))
                np.multiply(ga, a, out=ga)
                np.add(ga, (1 - a) * g, out=ga)
                avg = np.sqrt(sq - ga * ga)
            else:
                avg = np.sqrt(sq)
            np.add(avg, d["eps"], out=avg)
            if d["momentum"] > 0:
                b = buf.setdefault("momentum_buffer", np.zeros_like(g))
                np.multiply(b, d["momentum"], out=b)
                np.add(b, g / avg, out=b)
                p.data -= d["lr"] * b
            else:
                p.data -= d["lr"] * g / avg


# ---- correct alternative (opt_sgd_lists) ----
# MODULE: optimizers
# COMPONENTS: SGD
# SGD with velocities in a list (zeros until a per-parameter "started" flag), the plain path
# written as decoupled shrink p*(1 - lr*wd) - lr*grad (algebraically p - lr*(grad + wd*p)),
# Nesterov as g + momentum*b; keyword-only hyper-parameters (as torch's maximize/foreach).
class SGD:
    def __init__(self, params, lr=0.001, momentum=0, dampening=0, nesterov=False, weight_decay=0, *,
                 maximize=False):
        self.params = list(params)
        self.lr, self.momentum, self.dampening = lr, momentum, dampening
        self.nesterov, self.weight_decay, self.maximize = nesterov, weight_decay, maximize
        self.velocity = [np.zeros(np.shape(p.data)) for p in self.params]
        self.started = [False] * len(self.params)

    def zero_grad(self):
        for p in self.params:
            p.grad = np.zeros_like(p.data)

    def step(self):
        for k, p in enumerate(self.params):
            grad = -p.grad if self.maximize else p.grad
            if self.momentum == 0:
                p.data = p.data * (1.0 - self.lr * self.weight_decay) - self.lr * grad
                continue
            g = grad + self.weight_decay * p.data
            if self.started[k]:
                self.velocity[k] = self.momentum * self.velocity[k] + (1.0 - self.dampening) * g
            else:
                self.velocity[k] = np.array(g, dtype=np.float64)
                self.started[k] = True
            d = g + self.momentum * self.velocity[k] if self.nesterov else self.velocity[k]
            p.data = p.data - self.lr * d
