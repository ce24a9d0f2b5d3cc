"""Correct optimizers that assign new arrays to p.data and p.grad, keep their state in dicts
keyed by id(p), and use other textbook formulations (CS231n velocity, Sutskever's Nesterov,
bias-corrected m_hat and v_hat); no base class."""

import numpy as np


class _Optimizer:
    def __init__(self, params, **hyper):
        self.params = list(params)
        self.state = {id(p): {} for p in self.params}
        self.__dict__.update(hyper)

    def zero_grad(self):
        for p in self.params:
            p.grad = np.zeros_like(p.data)


class SGD(_Optimizer):
    def __init__(self, params, lr=0.001, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):
        super().__init__(
            params,
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            nesterov=nesterov,
            weight_decay=weight_decay,
        )

    def step(self):
        for p in self.params:
            g = p.grad + self.weight_decay * p.data
            if not self.momentum:
                p.data = p.data - self.lr * g
                continue
            state = self.state[id(p)]
            # CS231n: the velocity carries -lr; v = -lr * b of PyTorch's buffer b.
            if "v" not in state:
                v = -self.lr * g
            else:
                v = self.momentum * state["v"] - self.lr * (1 - self.dampening) * g
            previous = state.get("v", np.zeros_like(v))
            state["v"] = v
            if self.nesterov:
                p.data = p.data - self.momentum * previous + (1 + self.momentum) * v
            else:
                p.data = p.data + v


class Adagrad(_Optimizer):
    def __init__(
        self,
        params,
        lr=0.01,
        lr_decay=0.0,
        weight_decay=0.0,
        initial_accumulator_value=0.0,
        eps=1e-10,
    ):
        super().__init__(
            params,
            lr=lr,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            eps=eps,
        )

    def step(self):
        for p in self.params:
            state = self.state[id(p)]
            state["step"] = state.get("step", 0) + 1  # counted per parameter, as PyTorch does
            g = p.grad + self.weight_decay * p.data
            state["sum"] = state.get("sum", self.initial_accumulator_value) + np.square(g)
            clr = self.lr / (1 + (state["step"] - 1) * self.lr_decay)
            p.data = p.data - clr * g / (np.sqrt(state["sum"]) + self.eps)


class RMSprop(_Optimizer):
    def __init__(self, params, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False):
        super().__init__(
            params,
            lr=lr,
            alpha=alpha,
            eps=eps,
            weight_decay=weight_decay,
            momentum=momentum,
            centered=centered,
        )

    def step(self):
        for p in self.params:
            state = self.state[id(p)]
            g = p.grad + self.weight_decay * p.data
            v = state["v"] = self.alpha * state.get("v", 0.0) + (1 - self.alpha) * np.square(g)
            if self.centered:
                mean = state["mean"] = self.alpha * state.get("mean", 0.0) + (1 - self.alpha) * g
                v = v - np.square(mean)
            step = g / (np.sqrt(v) + self.eps)
            if self.momentum > 0:
                step = state["buf"] = self.momentum * state.get("buf", 0.0) + step
            p.data = p.data - self.lr * step


class Adadelta(_Optimizer):
    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
        super().__init__(params, lr=lr, rho=rho, eps=eps, weight_decay=weight_decay)

    def step(self):
        for p in self.params:
            state = self.state[id(p)]
            g = p.grad + self.weight_decay * p.data
            v = state["v"] = self.rho * state.get("v", 0.0) + (1 - self.rho) * g * g
            u = state.get("u", 0.0)
            delta = np.sqrt((u + self.eps) / (v + self.eps)) * g
            state["u"] = self.rho * u + (1 - self.rho) * delta**2
            p.data = p.data - self.lr * delta


class Adam(_Optimizer):
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)
        self.t = 0

    def gradient(self, p):
        return p.grad + self.weight_decay * p.data

    def step(self):
        self.t += 1
        b1, b2 = self.betas
        for p in self.params:
            state = self.state[id(p)]
            g = self.gradient(p)
            m = state["m"] = b1 * state.get("m", 0.0) + (1 - b1) * g
            v = state["v"] = b2 * state.get("v", 0.0) + (1 - b2) * g * g
            if self.amsgrad:
                v = state["vmax"] = np.maximum(state.get("vmax", 0.0), v)
            m_hat = m / (1 - b1**self.t)
            v_hat = v / (1 - b2**self.t)
            p.data = p.data - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


class AdamW(Adam):
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, amsgrad=False):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad)

    def gradient(self, p):
        p.data = p.data - self.lr * self.weight_decay * p.data
        return p.grad
