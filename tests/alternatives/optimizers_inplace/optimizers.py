"""Correct optimizers that work in place with ``out=`` arguments, keep per-parameter state in
small objects (PyTorch-style step counts per parameter), and zero gradients with ``fill``."""

import numpy as np

from .base import Optimizer


class _State:
    def __init__(self, p, *names, fill=0.0):
        self.step = 0
        for name in names:
            setattr(self, name, np.full(p.data.shape, fill, dtype=np.float64))


class _InPlace(Optimizer):
    def zero_grad(self):
        for p in self.params:
            p.grad.fill(0.0)

    def decayed(self, p, scratch):
        np.multiply(p.data, self.weight_decay, out=scratch)
        np.add(scratch, p.grad, out=scratch)
        return scratch


class SGD(_InPlace):
    def __init__(self, params, lr=0.001, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):
        super().__init__(params)
        self.lr, self.momentum, self.dampening = lr, momentum, dampening
        self.nesterov, self.weight_decay = nesterov, weight_decay
        self.states = [_State(p, "buf", "scratch") for p in self.params]

    def step(self):
        for p, s in zip(self.params, self.states, strict=False):
            g = self.decayed(p, s.scratch)
            if self.momentum != 0:
                if s.step == 0:
                    np.copyto(s.buf, g)
                else:
                    s.buf *= self.momentum
                    s.buf += (1 - self.dampening) * g
                if self.nesterov:
                    g += self.momentum * s.buf
                else:
                    np.copyto(g, s.buf)
            s.step += 1
            p.data -= self.lr * g


class Adagrad(_InPlace):
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
        self.states = [_State(p, "sum", fill=initial_accumulator_value) for p in self.params]

    def step(self):
        for p, s in zip(self.params, self.states, strict=False):
            s.step += 1
            g = self.decayed(p, np.empty_like(p.data))
            s.sum += g * g
            clr = self.lr / (1 + (s.step - 1) * self.lr_decay)
            np.divide(g, np.sqrt(s.sum) + self.eps, out=g)
            p.data -= clr * g


class RMSprop(_InPlace):
    def __init__(self, params, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False):
        super().__init__(params)
        self.lr, self.alpha, self.eps, self.weight_decay = lr, alpha, eps, weight_decay
        self.momentum, self.centered = momentum, centered
        self.states = [_State(p, "square_avg", "grad_avg", "buf") for p in self.params]

    def step(self):
        a = self.alpha
        for p, s in zip(self.params, self.states, strict=False):
            g = self.decayed(p, np.empty_like(p.data))
            s.square_avg *= a
            s.square_avg += (1 - a) * g * g
            if self.centered:
                s.grad_avg *= a
                s.grad_avg += (1 - a) * g
                avg = np.sqrt(s.square_avg - s.grad_avg * s.grad_avg)
            else:
                avg = np.sqrt(s.square_avg)
            avg += self.eps
            if self.momentum > 0:
                s.buf *= self.momentum
                s.buf += g / avg
                p.data -= self.lr * s.buf
            else:
                p.data -= self.lr * g / avg


class Adadelta(_InPlace):
    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
        super().__init__(params)
        self.lr, self.rho, self.eps, self.weight_decay = lr, rho, eps, weight_decay
        self.states = [_State(p, "square_avg", "acc_delta") for p in self.params]

    def step(self):
        rho = self.rho
        for p, s in zip(self.params, self.states, strict=False):
            g = self.decayed(p, np.empty_like(p.data))
            s.square_avg *= rho
            s.square_avg += (1 - rho) * g**2
            delta = np.sqrt(s.acc_delta + self.eps) * g / np.sqrt(s.square_avg + self.eps)
            s.acc_delta *= rho
            s.acc_delta += (1 - rho) * delta**2
            p.data -= self.lr * delta


class Adam(_InPlace):
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
        super().__init__(params)
        self.lr, self.betas, self.eps = lr, tuple(betas), eps
        self.weight_decay, self.amsgrad = weight_decay, amsgrad
        self.states = [_State(p, "exp_avg", "exp_avg_sq", "max_sq") for p in self.params]

    def _gradient(self, p):
        return self.decayed(p, np.empty_like(p.data))

    def step(self):
        b1, b2 = self.betas
        for p, s in zip(self.params, self.states, strict=False):
            s.step += 1
            g = self._gradient(p)
            s.exp_avg *= b1
            s.exp_avg += (1 - b1) * g
            s.exp_avg_sq *= b2
            s.exp_avg_sq += (1 - b2) * g * g
            second = s.exp_avg_sq
            if self.amsgrad:
                np.maximum(s.max_sq, s.exp_avg_sq, out=s.max_sq)
                second = s.max_sq
            denom = np.sqrt(second / (1 - b2**s.step)) + self.eps
            p.data -= (self.lr / (1 - b1**s.step)) * s.exp_avg / denom


class AdamW(Adam):
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, amsgrad=False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)

    def _gradient(self, p):
        p.data *= 1 - self.lr * self.weight_decay
        return np.array(p.grad, dtype=np.float64)
