"""Correct optimizers written with plain Python loops over every entry, updating p.data in place."""

import math

from base import Optimizer


def _entries(p):
    return range(p.data.size)


class SGD(Optimizer):
    def __init__(self, params, lr=0.001, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):
        super().__init__(params)
        self.lr, self.momentum, self.dampening = lr, momentum, dampening
        self.nesterov, self.weight_decay = nesterov, weight_decay
        self.velocity = [None for _ in self.params]

    def step(self):
        for k, p in enumerate(self.params):
            data, grad = p.data.reshape(-1), p.grad.reshape(-1)
            if self.momentum and self.velocity[k] is None:
                self.velocity[k] = [None] * data.size
            for i in _entries(p):
                g = grad[i] + self.weight_decay * data[i]
                if self.momentum:
                    b = self.velocity[k][i]
                    b = g if b is None else self.momentum * b + (1 - self.dampening) * g
                    self.velocity[k][i] = b
                    g = g + self.momentum * b if self.nesterov else b
                data[i] -= self.lr * g

    def zero_grad(self):
        for p in self.params:
            for i in _entries(p):
                p.grad.reshape(-1)[i] = 0.0


class Adagrad(Optimizer):
    def __init__(
        self,
        params,
        lr=0.01,
        lr_decay=0.0,
        weight_decay=0.0,
        initial_accumulator_value=0.0,
        eps=1e-10,
    ):
        super().__init__(params)
        self.lr, self.lr_decay, self.weight_decay, self.eps = lr, lr_decay, weight_decay, eps
        self.sums = [[initial_accumulator_value] * p.data.size for p in self.params]
        self.steps = 0

    def step(self):
        self.steps += 1
        clr = self.lr / (1 + (self.steps - 1) * self.lr_decay)
        for p, sums in zip(self.params, self.sums, strict=False):
            data, grad = p.data.reshape(-1), p.grad.reshape(-1)
            for i in _entries(p):
                g = grad[i] + self.weight_decay * data[i]
                sums[i] += g * g
                data[i] -= clr * g / (math.sqrt(sums[i]) + self.eps)


class RMSprop(Optimizer):
    def __init__(self, params, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False):
        super().__init__(params)
        self.lr, self.alpha, self.eps = lr, alpha, eps
        self.weight_decay, self.momentum, self.centered = weight_decay, momentum, centered
        self.v = [[0.0] * p.data.size for p in self.params]
        self.m = [[0.0] * p.data.size for p in self.params]
        self.b = [[0.0] * p.data.size for p in self.params]

    def step(self):
        a = self.alpha
        for p, v, m, b in zip(self.params, self.v, self.m, self.b, strict=False):
            data, grad = p.data.reshape(-1), p.grad.reshape(-1)
            for i in _entries(p):
                g = grad[i] + self.weight_decay * data[i]
                v[i] = a * v[i] + (1 - a) * g * g
                if self.centered:
                    m[i] = a * m[i] + (1 - a) * g
                    avg = math.sqrt(v[i] - m[i] * m[i]) + self.eps
                else:
                    avg = math.sqrt(v[i]) + self.eps
                if self.momentum > 0:
                    b[i] = self.momentum * b[i] + g / avg
                    data[i] -= self.lr * b[i]
                else:
                    data[i] -= self.lr * g / avg


class Adadelta(Optimizer):
    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
        super().__init__(params)
        self.lr, self.rho, self.eps, self.weight_decay = lr, rho, eps, weight_decay
        self.v = [[0.0] * p.data.size for p in self.params]
        self.u = [[0.0] * p.data.size for p in self.params]

    def step(self):
        rho = self.rho
        for p, v, u in zip(self.params, self.v, self.u, strict=False):
            data, grad = p.data.reshape(-1), p.grad.reshape(-1)
            for i in _entries(p):
                g = grad[i] + self.weight_decay * data[i]
                v[i] = rho * v[i] + (1 - rho) * g * g
                delta = math.sqrt(u[i] + self.eps) / math.sqrt(v[i] + self.eps) * g
                u[i] = rho * u[i] + (1 - rho) * delta * delta
                data[i] -= self.lr * delta


class Adam(Optimizer):
    decoupled = False

    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
        super().__init__(params)
        self.lr, self.betas, self.eps = lr, betas, eps
        self.weight_decay, self.amsgrad = weight_decay, amsgrad
        self.m = [[0.0] * p.data.size for p in self.params]
        self.v = [[0.0] * p.data.size for p in self.params]
        self.vmax = [[0.0] * p.data.size for p in self.params]
        self.t = 0

    def step(self):
        self.t += 1
        b1, b2 = self.betas
        for p, m, v, vmax in zip(self.params, self.m, self.v, self.vmax, strict=False):
            data, grad = p.data.reshape(-1), p.grad.reshape(-1)
            for i in _entries(p):
                g = grad[i]
                if self.decoupled:
                    data[i] *= 1 - self.lr * self.weight_decay
                else:
                    g = g + self.weight_decay * data[i]
                m[i] = b1 * m[i] + (1 - b1) * g
                v[i] = b2 * v[i] + (1 - b2) * g * g
                second = v[i]
                if self.amsgrad:
                    vmax[i] = max(vmax[i], v[i])
                    second = vmax[i]
                m_hat = m[i] / (1 - b1**self.t)
                v_hat = second / (1 - b2**self.t)
                data[i] -= self.lr * m_hat / (math.sqrt(v_hat) + self.eps)


class AdamW(Adam):
    decoupled = True

    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, amsgrad=False):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad)
