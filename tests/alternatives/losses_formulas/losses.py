"""Correct losses with other (equally stable) formulas; values returned as numpy float64."""

import numpy as np

from .base import Loss


class MSELoss(Loss):
    def forward(self, input, target):
        self.d = np.subtract(input, target, dtype=np.float64)
        flat = self.d.ravel()
        return np.dot(flat, flat) / flat.size  # a numpy float64, not a Python float

    def backward(self):
        return (2.0 / self.d.size) * self.d


class BCELoss(Loss):
    def forward(self, input, target):
        p = np.array(input, dtype=np.float64)
        t = np.array(target, dtype=np.float64)
        self.p, self.t = p, t
        with np.errstate(divide="ignore"):
            log_p = np.clip(np.log(p), -100.0, None)
            log_q = np.clip(np.log(1.0 - p), -100.0, None)
        return -(t * log_p + (1.0 - t) * log_q).sum() / p.size

    def backward(self):
        p, t = self.p, self.t
        denominator = np.clip(p - p * p, 1e-12, None)
        return (p - t) / denominator / p.size


class BCEWithLogitsLoss(Loss):
    def forward(self, input, target):
        x = np.array(input, dtype=np.float64)
        t = np.array(target, dtype=np.float64)
        self.x, self.t = x, t
        return np.mean(np.logaddexp(0.0, x) - x * t)

    def backward(self):
        sigmoid = 0.5 * (1.0 + np.tanh(0.5 * self.x))
        return (sigmoid - self.t) / self.x.size


class CrossEntropyLoss(Loss):
    def forward(self, input, target):
        x = np.array(input, dtype=np.float64)
        self.y = np.asarray(target).astype(np.int64)
        m = np.max(x, axis=1, keepdims=True)
        lse = m + np.log(np.sum(np.exp(x - m), axis=1, keepdims=True))
        self.log_probs = x - lse
        picked = np.take_along_axis(self.log_probs, self.y[:, None], axis=1)
        return -np.mean(picked)

    def backward(self):
        N, C = self.log_probs.shape
        onehot = np.eye(C)[self.y]
        return (np.exp(self.log_probs) - onehot) / N


class HingeLoss(Loss):
    def __init__(self, margin=1.0):
        self.margin = margin

    def forward(self, input, target):
        x = np.array(input, dtype=np.float64)
        self.y = np.asarray(target).astype(np.int64)
        correct = np.take_along_axis(x, self.y[:, None], axis=1)
        margins = x - correct + self.margin
        np.put_along_axis(margins, self.y[:, None], -np.inf, axis=1)
        self.mask = margins > 0
        return np.where(self.mask, margins, 0.0).sum() / x.shape[0]

    def backward(self):
        grad = self.mask.astype(np.float64)
        counts = grad.sum(axis=1, keepdims=True)
        np.put_along_axis(grad, self.y[:, None], -counts, axis=1)
        return grad / grad.shape[0]
